"""What the disclosure says: every entry compiled, in date order, with the approved
redactions burnt into its words, then the schedule of exemptions (each redaction's number,
whose information it was, the exemption relied on and why). Laid out by ``pdf.render``."""

from __future__ import annotations

from riskpath.core import clock
from riskpath.governance.enums import Exemption, PartyKind, RedactionDecision
from riskpath.governance.models import SubjectAccessRequest
from riskpath.governance.pdf import Document, render
from riskpath.governance.redaction import Burn, burn_in


def _date(day: object) -> str:
    return f"{day:%-d %B %Y}"


def burns_of(request: SubjectAccessRequest) -> list[Burn]:
    return [
        Burn(r.number, tuple([r.term, *(r.variants or [])]))
        for r in request.redactions.filter(decision=RedactionDecision.REDACT)
    ]


def disclosure_document(request: SubjectAccessRequest) -> tuple[bytes, int, int]:
    """The PDF, the number of entries and the number of redactions."""
    burns = burns_of(request)
    person = request.young_person

    def clean(text: str) -> str:
        return burn_in(text, burns)

    ref = str(request.pk)[:8].upper()
    doc = Document(
        title="Disclosure: subject access request",
        footer=f"OFFICIAL-SENSITIVE - disclosure {ref}",
    )
    doc.add("subtitle", f"About: {person.given_names} {person.family_name}")
    doc.add("subtitle", f"Requested by: {clean(request.requester_name)}")
    doc.add("subtitle", f"Received: {_date(request.received_on)}")
    doc.add("subtitle", f"Produced: {_date(clock.today())}")
    doc.add(
        "text",
        "This is everything riskpath held about you when your request was compiled, in date "
        "order. Where information about someone else has been withheld it reads "
        "[REDACTED R1], [REDACTED R2] and so on; the schedule of exemptions at the end says "
        "why each was withheld. The names of professionals acting in their role are "
        "disclosed.",
    )
    entries = list(request.entries.all())
    doc.add("heading", "What riskpath holds")
    if not entries:
        doc.add("text", "riskpath holds nothing about you beyond this request.")
    for entry in entries:
        doc.add("label", f"{_date(entry.occurred_on)} - {entry.kind}: {clean(entry.title)}")
        if entry.text:
            doc.add("text", clean(entry.text))
    doc.add("heading", "Schedule of exemptions")
    redacted = list(request.redactions.filter(decision=RedactionDecision.REDACT))
    if not redacted:
        doc.add("text", "Nothing has been withheld.")
    for r in redacted:
        kind = PartyKind(r.party_kind).label
        exemption = Exemption(r.exemption).label if r.exemption else ""
        doc.add("label", f"R{r.number}: {kind}")
        doc.add("text", f"Exemption: {exemption}\nReason: {clean(r.reason)}")
    return render(doc, burns), len(entries), len(redacted)
