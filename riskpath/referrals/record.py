"""What referrals add to a young person's record: the referrals section of their page and
the referrals on their timeline (part of the young person's record, seen with it)."""

from __future__ import annotations

from typing import Any

from django.db.models import DateField, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils.text import Truncator

from riskpath.access import policy
from riskpath.core.pages import register_part
from riskpath.governance import sources as sar
from riskpath.people import timeline
from riskpath.people.models import YoungPerson
from riskpath.referrals.models import Referral
from riskpath.referrals.selectors import referrals_of


def _entries(
    user: Any, person: YoungPerson, limit: int, shared: dict[str, Any]
) -> list[timeline.Entry]:
    referrals: QuerySet[Referral] = (
        Referral.objects.filter(young_person=person)
        .select_related("referring_agency")
        .annotate(day=Coalesce("made_on", TruncDate("created_at"), output_field=DateField()))
        .order_by("-day", "-created_at")[:limit]
    )
    entries = []
    for r in referrals:
        to = r.get_to_display() + (f" ({r.to_detail})" if r.to_detail else "")
        made = "referred" if r.made_on else "planned a referral"
        summary = f"{r.referring_agency} {made} to {to}: {r.get_status_display().lower()}"
        if r.outcome:
            summary += f". Outcome: {Truncator(r.outcome).chars(120)}"
        day = r.day  # type: ignore[attr-defined]
        entries.append(
            timeline.Entry(
                when=day,
                kind=timeline.REFERRAL,
                summary=summary,
                sort_key=timeline.key(day, r.created_at),
            )
        )
    return entries


timeline.register_source(
    timeline.REFERRAL,
    label="Referral",
    filter_label="Referrals",
    order=50,
    visible=lambda user, person: True,
    entries=_entries,
)


def _part(user: Any, person: YoungPerson, shared: dict[str, Any]) -> dict[str, Any]:
    return {
        "referrals": referrals_of(person),
        "can_record_referral": policy.check("can_record_referral", user, person),
    }


register_part("young_person", "referrals", _part, order=50)


def _held(person: YoungPerson) -> list[sar.Held]:
    """Every referral of the young person, for a subject access request."""
    out = []
    for r in Referral.objects.filter(young_person=person).select_related(
        "referring_agency", "recorded_by"
    ):
        to = r.get_to_display() + (f" ({r.to_detail})" if r.to_detail else "")
        lines = [f"Status: {r.get_status_display()}", f"Outcome: {r.outcome}" if r.outcome else ""]
        out.append(
            sar.Held(
                when=r.made_on or r.created_at,
                kind="Referral",
                title=f"{r.referring_agency} referred to {to}",
                text="\n".join(line for line in lines if line),
                ref=f"referrals.referral:{r.pk}",
                parties=sar.parties(sar.professional(r.recorded_by)),
            )
        )
    return out


sar.register_source("referrals", label="Referrals", order=50, entries=_held)
