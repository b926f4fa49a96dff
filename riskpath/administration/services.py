"""Writes for areas, agencies and users. Each checks the access policy, writes, and records
its audit event in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from riskpath.access import policy
from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency, Area, ClosureDay, User, UserRole
from riskpath.audit.services import audit_record, field_changes, snapshot
from riskpath.audit.verbs import Verb
from riskpath.core import clock, mail
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned

AREA_FIELDS = ["name", "calendar", "require_mfa"]
AGENCY_FIELDS = ["name", "kind", "is_active", "is_first_responder"]
USER_FIELDS = ["full_name", "job_title", "agency", "is_active"]
CLOSURE_FIELDS = ["date", "reason"]
CLOSURE_REASON_MAX = 200
# Closure days are planned a year or two ahead. A date beyond this many calendar years, or
# before last year, is taken for a typing slip (2062 for 2026, 26 for 2026).
CLOSURE_YEARS_AHEAD = 3


def _require(rule: str, actor: User, obj: Any = None) -> None:
    if not policy.check(rule, actor, obj):
        raise NotPermitted()


def area_update(*, actor: User, area: Area, expected_version: int, **values: Any) -> Area:
    _require("can_manage_area", actor, area)
    if "name" in values:
        values["name"] = values["name"].strip()
        if Area.objects.filter(name__iexact=values["name"]).exclude(pk=area.pk).exists():
            raise FieldErrors({"name": f"There is already an area called {values['name']}"})
    before = snapshot(area, AREA_FIELDS)
    for name in AREA_FIELDS:
        if name in values:
            setattr(area, name, values[name])
    try:
        with transaction.atomic():
            save_versioned(
                area, expected_version=expected_version, fields=AREA_FIELDS, label="area"
            )
            audit_record(
                actor=actor,
                verb=Verb.AREA_UPDATED,
                target=area,
                changes=field_changes(before, snapshot(area, AREA_FIELDS)),
            )
    except IntegrityError as exc:
        raise FieldErrors({"name": f"There is already an area called {area.name}"}) from exc
    return area


def closure_day_add(
    *, actor: User, area: Area, date: dt.date | None, reason: str = ""
) -> ClosureDay:
    """Make ``date`` a day the area does not work: working-day timescales counted from now on
    skip it. A weekend or bank holiday is accepted and changes nothing. Deadlines already
    stored on meetings are not recounted."""
    _require("can_manage_area", actor, area)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    this_year = clock.today().year
    if date is None:
        errors["date"] = "Enter the date of the closure day"
    elif date.year > this_year + CLOSURE_YEARS_AHEAD:
        last = dt.date(this_year + CLOSURE_YEARS_AHEAD, 12, 31)
        errors["date"] = f"The date of the closure day must be on or before {last:%-d %B %Y}"
    elif date.year < this_year - 1:
        first = dt.date(this_year - 1, 1, 1)
        errors["date"] = f"The date of the closure day must be on or after {first:%-d %B %Y}"
    elif ClosureDay.objects.filter(area=area, date=date).exists():
        errors["date"] = f"{date:%-d %B %Y} is already a closure day"
    if len(reason) > CLOSURE_REASON_MAX:
        errors["reason"] = f"The reason must be {CLOSURE_REASON_MAX} characters or fewer"
    if errors:
        raise FieldErrors(errors)
    assert date is not None
    try:
        with transaction.atomic():
            closure_day = ClosureDay.objects.create(
                area=area, date=date, reason=reason, created_by=actor
            )
            audit_record(
                actor=actor,
                verb=Verb.CLOSURE_DAY_ADDED,
                target=closure_day,
                changes=field_changes({}, snapshot(closure_day, CLOSURE_FIELDS)),
                area_id=area.pk,
            )
    except IntegrityError as exc:  # added by someone else since the check above
        raise FieldErrors({"date": f"{date:%-d %B %Y} is already a closure day"}) from exc
    return closure_day


def closure_day_remove(*, actor: User, closure_day: ClosureDay) -> None:
    """Make the day a working day again. A closure day is configuration, not personal data,
    so it is deleted; the audit event keeps its date and reason."""
    _require("can_manage_area", actor, closure_day.area)
    before = snapshot(closure_day, CLOSURE_FIELDS)
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb=Verb.CLOSURE_DAY_REMOVED,
            target=closure_day,
            changes=field_changes(before, dict.fromkeys(before)),
            area_id=closure_day.area_id,
        )
        closure_day.delete()


def agency_create(*, actor: User, name: str, kind: str, is_first_responder: bool = False) -> Agency:
    _require("can_manage_agencies", actor)
    name = name.strip()
    if not name:
        raise FieldErrors({"name": "Enter the agency's name"})
    area = actor.area
    if area is None:  # no agency: the policy has refused them already
        raise NotPermitted()
    if Agency.objects.filter(area=area, name__iexact=name).exists():
        raise FieldErrors({"name": f"There is already an agency called {name} in {area}"})
    try:
        with transaction.atomic():
            agency = Agency.objects.create(
                area=area, name=name, kind=kind, is_first_responder=is_first_responder
            )
            audit_record(
                actor=actor,
                verb=Verb.AGENCY_CREATED,
                target=agency,
                changes=field_changes({}, snapshot(agency, AGENCY_FIELDS)),
            )
    except IntegrityError as exc:
        raise FieldErrors({"name": f"There is already an agency called {name}"}) from exc
    return agency


def agency_update(*, actor: User, agency: Agency, expected_version: int, **values: Any) -> Agency:
    _require("can_manage_agencies", actor, agency)
    if "name" in values:
        values["name"] = values["name"].strip()
        clash = Agency.objects.filter(area_id=agency.area_id, name__iexact=values["name"])
        if clash.exclude(pk=agency.pk).exists():
            raise FieldErrors({"name": f"There is already an agency called {values['name']}"})
    before = snapshot(agency, AGENCY_FIELDS)
    for name in AGENCY_FIELDS:
        if name in values:
            setattr(agency, name, values[name])
    with transaction.atomic():
        save_versioned(
            agency, expected_version=expected_version, fields=AGENCY_FIELDS, label="agency"
        )
        audit_record(
            actor=actor,
            verb=Verb.AGENCY_UPDATED,
            target=agency,
            changes=field_changes(before, snapshot(agency, AGENCY_FIELDS)),
        )
    return agency


def _check_agency(actor: User, agency: Agency | None) -> None:
    if agency is None or agency.area_id != actor.area_id:
        raise FieldErrors({"agency": "Select an agency in your area"})


def _clean_roles(roles: Iterable[str]) -> list[str]:
    cleaned = sorted(set(roles))
    unknown = [r for r in cleaned if r not in Role.values]
    if unknown:
        raise FieldErrors({"roles": f"Unknown role: {', '.join(unknown)}"})
    return cleaned


def user_create(
    *,
    actor: User,
    email: str,
    full_name: str,
    agency: Agency | None,
    roles: Iterable[str],
    job_title: str = "",
    send_invitation: bool = True,
) -> User:
    """Create a user in the actor's area. They choose their own password from the e-mailed
    link; nobody else ever knows it."""
    _require("can_manage_users", actor)
    _check_agency(actor, agency)
    role_list = _clean_roles(roles)
    email = (email or "").strip().lower()
    errors: dict[str, str] = {}
    if not email:
        errors["email"] = "Enter an e-mail address"
    elif User.objects.filter(email__iexact=email).exists():
        errors["email"] = "A user with this e-mail address already exists"
    if not (full_name or "").strip():
        errors["full_name"] = "Enter the user's full name"
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, full_name=full_name.strip(), job_title=job_title.strip(), agency=agency
        )
        UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in role_list])
        audit_record(
            actor=actor,
            verb=Verb.USER_CREATED,
            target=user,
            changes={
                **field_changes({}, snapshot(user, [*USER_FIELDS, "email"])),
                "roles": {"before": [], "after": role_list},
            },
        )
        if send_invitation:
            # The token is made once the user is committed; a mail failure is logged, never
            # an error page for a user that was created.
            mail.on_commit(lambda: _send_invitation(user))
    return user


def user_update(
    *,
    actor: User,
    user: User,
    expected_version: int,
    roles: Iterable[str] | None = None,
    **values: Any,
) -> User:
    _require("can_manage_users", actor, user)
    if "agency" in values:
        _check_agency(actor, values["agency"])
    if user.pk == actor.pk and values.get("is_active") is False:
        raise FieldErrors({"is_active": "You cannot deactivate your own account"})
    before_roles = sorted(user.role_set())
    new_roles = _clean_roles(roles) if roles is not None else before_roles
    if user.pk == actor.pk:
        _refuse_own_roles_and_agency(actor, user, before_roles, new_roles, values)
    before = snapshot(user, USER_FIELDS)
    for name in USER_FIELDS:
        if name in values:
            setattr(user, name, values[name])
    with transaction.atomic():
        save_versioned(user, expected_version=expected_version, fields=USER_FIELDS, label="user")
        if new_roles != before_roles:
            UserRole.objects.filter(user=user).exclude(role__in=new_roles).delete()
            UserRole.objects.bulk_create(
                [UserRole(user=user, role=r) for r in new_roles if r not in before_roles]
            )
            user._role_cache = frozenset(new_roles)
        changes = field_changes(before, snapshot(user, USER_FIELDS))
        if new_roles != before_roles:
            changes["roles"] = {"before": before_roles, "after": new_roles}
        audit_record(actor=actor, verb=Verb.USER_UPDATED, target=user, changes=changes)
    return user


def _refuse_own_roles_and_agency(
    actor: User, user: User, before_roles: list[str], new_roles: list[str], values: dict[str, Any]
) -> None:
    """An administrator's roles and agency decide what they may see: they cannot change their
    own (to give themselves a role, or join the agency whose records they want to read).
    Another administrator of the area does it, and the refusal is audited."""
    errors: dict[str, str] = {}
    changes: dict[str, Any] = {}
    if new_roles != before_roles:
        errors["roles"] = (
            "You cannot change your own roles. Ask another area administrator to change them."
        )
        changes["roles"] = {"before": before_roles, "after": new_roles}
    agency = values.get("agency")
    if agency is not None and agency.pk != user.agency_id:
        errors["agency"] = (
            "You cannot move yourself to another agency. Ask another area administrator to do it."
        )
        changes["agency"] = {"before": str(user.agency_id), "after": str(agency.pk)}
    if errors:
        with transaction.atomic():
            audit_record(actor=actor, verb=Verb.SELF_CHANGE_REFUSED, target=user, changes=changes)
        raise FieldErrors(errors)


def _send_invitation(user: User) -> None:
    # allauth checks the link with its own token generator (which also covers the user's
    # e-mail addresses); a token from Django's generator is refused as invalid.
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "link": f"{settings.RISKPATH_BASE_URL}{path}"}
    send_mail(
        subject="[riskpath] Your riskpath account",
        message=render_to_string("administration/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
