"""The shapes of identifiers in partner systems, and of UK postcodes.

Each ``clean_*`` function takes what a user typed and returns the value to store (normalised),
or raises ``ValueError`` with a message fit to show them. An empty value is always allowed
(the identifier is not known)."""

from __future__ import annotations

import re
from collections.abc import Callable

_DIGITS_4_10 = re.compile(r"[0-9]{4,10}")
_ALNUM_30 = re.compile(r"[A-Za-z0-9]{1,30}")
_FLARE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,29}")
# Outward code (area, district) and inward code (sector, unit), e.g. "BS16 1QY", "M1 1AE".
_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})")


def nhs_check_digit_ok(digits: str) -> bool:
    """The NHS number's modulus-11 check: weights 10 down to 2 over the first nine digits;
    11 minus the remainder is the check digit (11 counts as 0, 10 is never valid)."""
    if not re.fullmatch(r"[0-9]{10}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


def clean_mosaic_id(value: str) -> str:
    value = value.strip()
    if value and not _DIGITS_4_10.fullmatch(value):
        raise ValueError("Enter the Mosaic ID as 4 to 10 digits, like 1234567")
    return value


def clean_liquidlogic_id(value: str) -> str:
    value = value.strip()
    if value and not _DIGITS_4_10.fullmatch(value):
        raise ValueError("Enter the LiquidLogic ID as 4 to 10 digits, like 7654321")
    return value


def clean_niche_id(value: str) -> str:
    value = value.strip()
    if value and not _ALNUM_30.fullmatch(value):
        raise ValueError("Enter the Niche ID using only letters and numbers, up to 30 characters")
    return value


def clean_flare_id(value: str) -> str:
    value = value.strip()
    if value and not _FLARE.fullmatch(value):
        raise ValueError(
            "Enter the Flare ID using only letters, numbers and hyphens, up to 30 characters"
        )
    return value


def clean_nhs_number(value: str) -> str:
    value = re.sub(r"\s+", "", value)
    if not value:
        return ""
    if not re.fullmatch(r"[0-9]{10}", value):
        raise ValueError("Enter the NHS number as 10 digits, like 485 777 3456")
    if not nhs_check_digit_ok(value):
        raise ValueError("Enter a real NHS number: the last digit does not match the others")
    return value


def clean_postcode(value: str) -> str:
    """Upper case, with one space before the inward code: " bs161qy " becomes "BS16 1QY"."""
    compact = re.sub(r"\s+", "", value).upper()
    if not compact:
        return ""
    match = _POSTCODE.fullmatch(compact)
    if match is None:
        raise ValueError("Enter a real postcode, like BS16 1QY")
    return f"{match.group(1)} {match.group(2)}"


CLEANERS: dict[str, Callable[[str], str]] = {
    "mosaic_id": clean_mosaic_id,
    "liquidlogic_id": clean_liquidlogic_id,
    "niche_id": clean_niche_id,
    "flare_id": clean_flare_id,
    "nhs_number": clean_nhs_number,
    "postcode": clean_postcode,
}
