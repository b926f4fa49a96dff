"""How coded values are shown on the pages: by their labels, never their codes.

``{% load labels %}``, then ``{{ tier|tier_label }}`` ("Tier 1 (red)"; ``tier_label:"short"``
for "Tier 1") and ``{{ codes|harm_type_labels|join:", " }}``. Each filter calls the one
function the Python code uses too (``cohort.models.tier_label``,
``intelligence.enums.harm_type_labels``); a single choice field is shown with Django's
``get_FOO_display``."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from riskpath.cohort.models import tier_label as _tier_label
from riskpath.intelligence.enums import harm_type_labels as _harm_type_labels

register = template.Library()


@register.filter
def tier_label(tier: int | str | None, form: str = "") -> str:
    return _tier_label(tier, colour=form != "short")


@register.filter
def harm_type_labels(codes: Iterable[str] | None) -> list[str]:
    return _harm_type_labels(codes)
