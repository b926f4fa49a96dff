"""What riskpath holds about a young person that lives below this app, registered as
subject-access sources like everyone else's: the record itself, its missing episodes, and
the audit of who has viewed records about them. Also the young-person picker's pool for the
officer's request form (the whole area: a request may be about any young person in it)."""

from __future__ import annotations

from typing import Any

from riskpath.audit.verbs import verb_sentence
from riskpath.auditlog.selectors import record_views_of
from riskpath.governance.enums import PartyKind
from riskpath.governance.sources import Held, Party, parties, professional, register_source
from riskpath.people import picker
from riskpath.people.models import MissingEpisode, YoungPerson

# Enough for any one person's record; the compile is the one read this large.
VIEWS_LIMIT = 100_000

picker.register_pool(
    "governance",
    rule="can_record_subject_access_request",
    queryset=lambda user: YoungPerson.objects.filter(area_id=user.area_id),
)


def _line(label: str, value: Any) -> str:
    return f"{label}: {value}" if value not in (None, "", []) else ""


def _record(person: YoungPerson) -> list[Held]:
    lines = [
        _line("Name", f"{person.given_names} {person.family_name}"),
        _line("Also known as", ", ".join(person.aliases or [])),
        _line("Date of birth", person.date_of_birth and f"{person.date_of_birth:%-d %B %Y}"),
        _line("Gender", person.get_gender_display() if person.gender else ""),
        _line("Ethnicity", person.get_ethnicity_display() if person.ethnicity else ""),
        _line("School", person.school),
        _line("Locality", person.locality),
        _line("Postcode", person.postcode),
        _line("Care status", person.get_care_status_display() if person.care_status else ""),
        _line("Mosaic ID", person.mosaic_id),
        _line("LiquidLogic ID", person.liquidlogic_id),
        _line("Niche ID", person.niche_id),
        _line("Flare ID", person.flare_id),
        _line("NHS number", person.nhs_number),
        _line("Recorded by", person.recording_agency),
        _line(
            "Lead professional",
            person.lead_professional.full_name if person.lead_professional else "",
        ),
    ]
    if person.deleted_at:
        lines.append(_line("Deleted", f"{person.deleted_at:%-d %B %Y}"))
    return [
        Held(
            when=person.created_at,
            kind="Record",
            title="Young person's record",
            text="\n".join(line for line in lines if line),
            ref=f"people.youngperson:{person.pk}",
            parties=parties(
                professional(person.lead_professional), professional(person.recorded_by)
            ),
        )
    ]


def _missing(person: YoungPerson) -> list[Held]:
    episodes = (
        MissingEpisode.all_objects.filter(young_person=person)
        .select_related("reporting_agency", "recorded_by")
        .order_by("reported_at")
    )
    out = []
    for ep in episodes:
        lines = [
            f"Reported {ep.get_kind_display().lower()} by {ep.reporting_agency}",
            _line("Returned", ep.returned_at and f"{ep.returned_at:%-d %B %Y %H:%M}"),
            _line("Where found", ep.where_found),
            _line("Return interview by", ep.interview_by),
        ]
        out.append(
            Held(
                when=ep.reported_at,
                kind="Missing episode",
                title=f"{ep.get_kind_display()} episode",
                text="\n".join(line for line in lines if line),
                ref=f"people.missingepisode:{ep.pk}",
                parties=parties(professional(ep.recorded_by)),
            )
        )
    return out


def _views(person: YoungPerson) -> list[Held]:
    out = []
    for event in record_views_of(person, limit=VIEWS_LIMIT):
        basis = f" (basis: {event.basis})" if event.basis else ""
        out.append(
            Held(
                when=event.occurred_at,
                kind="Record viewed",
                title=f"{event.actor_label or 'riskpath'} {verb_sentence(event.verb)}",
                text=f"{event.actor_label} {verb_sentence(event.verb)}{basis}",
                ref=f"audit.auditevent:{event.pk}",
                parties=(
                    (
                        Party(
                            PartyKind.PROFESSIONAL,
                            event.actor_label,
                            f"accounts.user:{event.actor_id}",
                        ),
                    )
                    if event.actor_id and event.actor_label
                    else ()
                ),
            )
        )
    return out


register_source("record", label="The young person's record", order=0, entries=_record)
register_source("missing", label="Missing episodes", order=20, entries=_missing)
register_source("views", label="Who has viewed the record", order=200, entries=_views)
