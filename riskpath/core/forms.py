"""Helpers shared by every form: domain errors onto form fields."""

from __future__ import annotations

from django import forms

from riskpath.core.errors import ConcurrentEditError, DomainError, FieldErrors


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal on the form: per field where it names one, else at the top."""
    if isinstance(exc, FieldErrors):
        for field, message in exc.errors.items():
            form.add_error(field if field in form.fields else None, message)
    elif isinstance(exc, ConcurrentEditError):
        form.add_error(None, exc.message)
    else:
        form.add_error(None, exc.message)


class VersionField(forms.IntegerField):
    """The version of the record the form was based on, carried through the edit."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: object) -> None:
        super().__init__(min_value=1, **kwargs)  # type: ignore[arg-type]
