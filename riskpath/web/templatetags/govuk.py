"""Template helpers that turn Django form fields into GOV.UK Design System components."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_INPUT_CLASS = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "radio": "govuk-radios__input",
    "file": "govuk-file-upload",
}


def widget_kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


@register.filter
def govuk_kind(field: BoundField) -> str:
    return widget_kind(field)


@register.filter
def govuk_widget(field: BoundField) -> SafeString:
    """The field's widget with GOV.UK classes and aria-describedby for its hint and error."""
    kind = widget_kind(field)
    classes = [_INPUT_CLASS.get(kind, "govuk-input")]
    if field.errors and kind in {"input", "textarea", "select", "file"}:
        classes.append(f"{classes[0]}--error")
    existing = field.field.widget.attrs.get("class")
    if existing:
        classes.append(existing)
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, Any] = {"class": " ".join(classes)}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def option_attrs(option: Any, css: str) -> SafeString:
    """Render one radio/checkbox option's input with the given class."""
    option.data["attrs"]["class"] = css
    return option.tag()


@register.simple_tag
def error_list(form: forms.Form) -> list[tuple[str, str]]:
    """(anchor, message) for every error on the form, for the error summary."""
    items: list[tuple[str, str]] = []
    for error in form.non_field_errors():
        items.append(("", str(error)))
    for field in form:
        if field.errors and not field.is_hidden:
            anchor = field.auto_id
            if widget_kind(field) in {"radios", "checkboxes"}:
                anchor = f"{field.auto_id}_0"
            for error in field.errors:
                items.append((anchor, str(error)))
    for field in form.hidden_fields():
        for error in field.errors:
            items.append(("", f"{field.label}: {error}"))
    return items
