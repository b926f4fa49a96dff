"""The load ``benchmarks/http.py`` puts on one page: locust users (``-u 16``: sixteen concurrent
connections) that each ask for ``BENCH_PATH`` again as soon as the last answer arrived, signed
in with the session cookie in ``BENCH_COOKIE``. A request is a failure unless it answers 200.

Run by http.py as ``locust -f benchmarks/http_locustfile.py --headless ...``; not imported."""

from __future__ import annotations

import os

from locust import FastHttpUser, constant, task

PATH = os.environ["BENCH_PATH"]
COOKIE = os.environ["BENCH_COOKIE"]


class Reader(FastHttpUser):
    wait_time = constant(0)
    network_timeout = 120.0
    connection_timeout = 30.0

    @task
    def page(self) -> None:
        with self.client.get(
            PATH, headers={"Cookie": COOKIE}, name="page", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"answered {response.status_code}")
