"""Writes to locations: policy check, validation, write and audit event in one transaction."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from riskpath.access import policy
from riskpath.accounts.models import User
from riskpath.audit.services import (
    audit_record,
    audited_update,
    field_changes,
    restore,
    snapshot,
    soft_delete,
)
from riskpath.audit.verbs import Verb
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.locations.models import Location, LocationKind

FIELDS = ["name", "kind", "address", "postcode", "latitude", "longitude"]
BASIS = "recording member of the partnership"

# The shape of a UK postcode: outward code (area, district) and inward code (sector, unit).
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_SIX_PLACES = Decimal("0.000001")


def normalise_postcode(value: str) -> str | None:
    """``"bs16 1qy"`` → ``"BS16 1QY"``; ``""`` → ``""``; None if it is not shaped like a UK
    postcode."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not compact:
        return ""
    if compact == "GIR0AA":
        return "GIR 0AA"
    match = _POSTCODE.match(compact)
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}"


def _coordinate(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if not number.is_finite():
        raise ValueError(value)
    try:
        return number.quantize(_SIX_PLACES, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # far too large to be a coordinate: the range check says so
        return number


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """The values validated and normalised, or FieldErrors naming every problem."""
    errors: dict[str, str] = {}
    out = dict(values)
    out["name"] = (values.get("name") or "").strip()
    out["address"] = (values.get("address") or "").strip()
    if not out["name"]:
        errors["name"] = "Enter the name of the location"
    elif len(out["name"]) > 160:
        errors["name"] = "Name must be 160 characters or fewer"
    if len(out["address"]) > 240:
        errors["address"] = "Address must be 240 characters or fewer"
    if values.get("kind") not in LocationKind.values:
        errors["kind"] = "Select the type of location"
    postcode = normalise_postcode(values.get("postcode") or "")
    if postcode is None:
        errors["postcode"] = "Enter a real UK postcode, like BS16 1QY"
    else:
        out["postcode"] = postcode
    coordinates: dict[str, Decimal | None] = {}
    for name, limit, noun in (("latitude", 90, "Latitude"), ("longitude", 180, "Longitude")):
        try:
            coordinates[name] = _coordinate(values.get(name))
        except ValueError:
            errors[name] = f"{noun} must be a number"
            continue
        number = coordinates[name]
        if number is not None and not -limit <= number <= limit:
            errors[name] = f"{noun} must be between -{limit} and {limit}"
    out.update(coordinates)
    if "latitude" not in errors and "longitude" not in errors:
        lat, lon = coordinates["latitude"], coordinates["longitude"]
        if values.get("kind") == LocationKind.ONLINE and (lat is not None or lon is not None):
            field = "latitude" if lat is not None else "longitude"
            errors[field] = "An online platform has no coordinates: leave them blank"
        elif lat is None and lon is not None:
            errors["latitude"] = "Enter the latitude as well as the longitude, or neither"
        elif lon is None and lat is not None:
            errors["longitude"] = "Enter the longitude as well as the latitude, or neither"
    if errors:
        raise FieldErrors(errors)
    return out


def location_create(
    *,
    actor: User,
    name: str,
    kind: str,
    address: str = "",
    postcode: str = "",
    latitude: Any = None,
    longitude: Any = None,
) -> Location:
    if not policy.check("can_record_location", actor):
        raise NotPermitted()
    values = _clean(
        {
            "name": name,
            "kind": kind,
            "address": address,
            "postcode": postcode,
            "latitude": latitude,
            "longitude": longitude,
        }
    )
    with transaction.atomic():
        location = Location.objects.create(
            area_id=actor.area_id,
            recording_agency_id=actor.agency_id,
            recorded_by=actor,
            **{name: values[name] for name in FIELDS},
        )
        audit_record(
            actor=actor,
            verb=Verb.LOCATION_CREATED,
            target=location,
            basis=BASIS,
            changes=field_changes({}, snapshot(location, FIELDS)),
        )
    return location


def location_update(
    *, actor: User, location: Location, expected_version: int, **values: Any
) -> Location:
    """Change the location, unless someone else has changed it since ``expected_version``."""
    if not policy.check("can_record_location", actor, location):
        raise NotPermitted()
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"Not fields of a location: {sorted(unknown)}")
    merged = _clean({name: values.get(name, getattr(location, name)) for name in FIELDS})
    audited_update(
        actor=actor,
        instance=location,
        values={name: merged[name] for name in FIELDS},
        expected_version=expected_version,
        verb=Verb.LOCATION_UPDATED,
        label="location",
        basis=BASIS,
    )
    return location


def location_delete(
    *, actor: User, location: Location, expected_version: int, reason: str
) -> Location:
    """Soft delete: hidden from lists, lookups and link choices; kept and restorable. Audited
    as a change of the location (``deleted``: false → true) with the reason."""
    if not policy.check("can_record_location", actor, location):
        raise NotPermitted()
    if location.is_deleted:
        raise DomainError("This location has already been deleted.")
    if len((reason or "").strip()) < 10:
        raise FieldErrors({"reason": "Enter why this location is being deleted"})
    return soft_delete(
        actor=actor,
        instance=location,
        expected_version=expected_version,
        reason=reason.strip(),
        verb=Verb.LOCATION_UPDATED,
        label="location",
        basis=BASIS,
    )


def location_restore(*, actor: User, location: Location, expected_version: int) -> Location:
    if not policy.check("can_record_location", actor, location):
        raise NotPermitted()
    if not location.is_deleted:
        raise DomainError("This location is not deleted.")
    return restore(
        actor=actor,
        instance=location,
        expected_version=expected_version,
        verb=Verb.LOCATION_UPDATED,
        label="location",
        basis=BASIS,
    )
