"""Writes to referrals and signposting: policy check, validation, write and audit event in one
transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from riskpath.access import policy
from riskpath.access.involvement import access_basis
from riskpath.accounts.enums import AgencyKind
from riskpath.accounts.models import Agency, User
from riskpath.audit.services import audit_record, field_changes, snapshot
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.people.models import YoungPerson
from riskpath.people.services import age_on
from riskpath.referrals.models import Referral, ReferralStatus, ReferralTo

FIELDS = ["to", "to_detail", "made_on", "status", "outcome"]

# Only first responders may refer to the National Referral Mechanism: in riskpath, an agency
# of one of these kinds.
FIRST_RESPONDER_KINDS: frozenset[str] = frozenset(
    {AgencyKind.POLICE, AgencyKind.SOCIAL_CARE, AgencyKind.LOCAL_AUTHORITY}
)
ADULT_AGE = 18


def _basis(actor: User, young_person: YoungPerson) -> str:
    basis = access_basis(actor, young_person)
    if basis is None or not policy.check("can_record_referral", actor, young_person):
        raise NotPermitted()
    return basis


def _clean(
    values: dict[str, Any], *, young_person: YoungPerson, referring_agency: Agency
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out = dict(values)
    out["to_detail"] = (out.get("to_detail") or "").strip()
    out["outcome"] = (out.get("outcome") or "").strip()
    out["status"] = out.get("status") or ReferralStatus.PLANNED
    to = out.get("to")
    if to not in ReferralTo.values:
        errors["to"] = "Select who the referral is to"
    elif to == ReferralTo.NRM and referring_agency.kind not in FIRST_RESPONDER_KINDS:
        errors["to"] = (
            "Only first responders can refer to the National Referral Mechanism: "
            f"{referring_agency.name} ({referring_agency.get_kind_display()}) is not one. "
            "Ask the police, children's social care or the local authority to make it"
        )
    elif to == ReferralTo.ADULT_SAFEGUARDING:
        dob = young_person.date_of_birth
        on = out.get("made_on") or clock.today()
        if dob is None:
            errors["to"] = (
                "An adult-safeguarding referral is only for young people aged 18 or over: "
                "record the young person's date of birth first"
            )
        elif age_on(dob, on) < ADULT_AGE:
            errors["to"] = (
                "An adult-safeguarding referral is only for young people aged 18 or over; "
                f"{young_person} is {age_on(dob, on)}"
            )
    elif to == ReferralTo.OTHER and not out["to_detail"]:
        errors["to_detail"] = "Enter the service the referral is to"
    if len(out["to_detail"]) > 160:
        errors["to_detail"] = "Enter 160 characters or fewer"
    if out["status"] not in ReferralStatus.values:
        errors["status"] = "Select the status of the referral"
    made_on: dt.date | None = out.get("made_on")
    if made_on is not None and made_on > clock.today():
        errors["made_on"] = "The date the referral was made must be today or in the past"
    elif made_on is None and "status" not in errors and out["status"] != ReferralStatus.PLANNED:
        errors["made_on"] = "Enter the date the referral was made"
    if errors:
        raise FieldErrors(errors)
    return out


def referral_record(
    *,
    actor: User,
    young_person: YoungPerson,
    to: str,
    to_detail: str = "",
    made_on: dt.date | None = None,
    status: str = ReferralStatus.PLANNED,
    outcome: str = "",
) -> Referral:
    """Record a referral (or signposting) of ``young_person``, made by the actor's agency."""
    basis = _basis(actor, young_person)
    agency = actor.agency
    if agency is None:  # no agency: the policy has refused them already
        raise NotPermitted()
    values = _clean(
        {
            "to": to,
            "to_detail": to_detail,
            "made_on": made_on,
            "status": status,
            "outcome": outcome,
        },
        young_person=young_person,
        referring_agency=agency,
    )
    with transaction.atomic():
        referral = Referral.objects.create(
            young_person=young_person, referring_agency=agency, recorded_by=actor, **values
        )
        audit_record(
            actor=actor,
            verb=Verb.REFERRAL_RECORDED,
            target=referral,
            subject=young_person,
            basis=basis,
            changes=field_changes({}, snapshot(referral, [*FIELDS, "referring_agency"])),
        )
    return referral


def referral_update(
    *, actor: User, referral: Referral, expected_version: int, **values: Any
) -> Referral:
    """Change a referral's status, outcome or details; the referring agency stays the one that
    made it (so an NRM referral always stays a first responder's)."""
    basis = _basis(actor, referral.young_person)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"referral_update() got unexpected fields {sorted(unknown)}")
    merged = {name: values.get(name, getattr(referral, name)) for name in FIELDS}
    cleaned = _clean(
        merged, young_person=referral.young_person, referring_agency=referral.referring_agency
    )
    before = snapshot(referral, FIELDS)
    for name, value in cleaned.items():
        setattr(referral, name, value)
    with transaction.atomic():
        save_versioned(referral, expected_version=expected_version, fields=FIELDS, label="referral")
        audit_record(
            actor=actor,
            verb=Verb.REFERRAL_UPDATED,
            target=referral,
            subject=referral.young_person,
            basis=basis,
            changes=field_changes(before, snapshot(referral, FIELDS)),
        )
    return referral
