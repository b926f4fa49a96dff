"""Helpers shared by every form: domain errors onto form fields, and the one date field."""

from __future__ import annotations

from typing import Any

from django import forms

from riskpath.core.errors import ConcurrentEditError, DomainError, FieldErrors

# A date typed in one box, as people write it: 27 3 2026, 27/3/2026, 27-3-2026 or ISO.
DATE_FORMATS = ["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y", "%d-%m-%Y"]


def date_field(
    label: str,
    *,
    required: bool = True,
    help_text: str | None = None,
    example: str = "27 3 2026",
) -> forms.DateField:
    """A date field whose messages name it: "Enter the due date", "Enter the due date as a
    real date, like 27 3 2026". A label ending "(optional)" is named without it."""
    noun = label.removesuffix(" (optional)")
    noun = noun[:1].lower() + noun[1:]
    return forms.DateField(
        label=label,
        required=required,
        help_text=f"For example, {example}" if help_text is None else help_text,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={
            "invalid": f"Enter the {noun} as a real date, like {example}",
            "required": f"Enter the {noun}",
        },
    )


def refused(form: forms.Form, exc: DomainError) -> int:
    """Show a service's refusal on the form and give the status the page answers with: 409
    when someone else changed the record first, 400 for anything else. The one way pages
    turn a domain error into a response."""
    add_domain_error(form, exc)
    return 409 if isinstance(exc, ConcurrentEditError) else 400


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal on the form: per field where it names one, else at the top."""
    if isinstance(exc, FieldErrors):
        for field, message in exc.errors.items():
            form.add_error(field if field in form.fields else None, message)
    elif isinstance(exc, ConcurrentEditError):
        form.add_error(None, exc.message)
    else:
        form.add_error(None, exc.message)


class GovukForm(forms.Form):
    """Every riskpath form: required-field messages in the GOV.UK style, naming the field
    ("Enter the agency name", "Select a kind of agency")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            default = forms.Field.default_error_messages["required"]
            if field.widget.is_hidden or field.error_messages.get("required") != default:
                continue  # hidden, or the field says it in its own words
            label = str(field.label or "").strip()
            noun = label[:1].lower() + label[1:]
            choice = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            field.error_messages["required"] = f"{'Select' if choice else 'Enter'} {noun}"


class VersionField(forms.IntegerField):
    """The version of the record the form was based on, carried through the edit."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: object) -> None:
        super().__init__(min_value=1, **kwargs)  # type: ignore[arg-type]
