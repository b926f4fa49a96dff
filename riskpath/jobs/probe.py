"""A job that does nothing but answer: CI and operators enqueue it to prove that a worker is
taking jobs from the queue (``riskpath jobs probe``, then ``riskpath jobs result ID``)."""

from __future__ import annotations

from riskpath.jobs.runner import job


@job
def probe(token: str) -> str:
    return token
