"""Pages for duplicate records: the check before a new record is made, and merging two records
of one young person (and undoing it)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from riskpath.access.involvement import access_basis
from riskpath.access.views import RuleRequiredMixin
from riskpath.accounts.models import User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.core.forms import add_domain_error
from riskpath.people import selectors, services
from riskpath.people.duplicate_check import (
    duplicate_report,
    facts_from,
    fingerprint,
    merge_candidates,
    merge_get_for_user,
    merge_of_merged_away,
    person_of_interest_duplicate_check,
    young_person_duplicate_check,
)
from riskpath.people.duplicates import LIKELY_WEIGHT
from riskpath.people.forms import (
    MergeChooseForm,
    MergeConfirmForm,
    MergeUndoForm,
    NotSamePersonForm,
)
from riskpath.people.merge import young_person_merge, young_person_merge_undo
from riskpath.people.models import DuplicateKind, YoungPerson

KINDS: dict[str, dict[str, Any]] = {
    "young_person": {
        "noun": "young person",
        "run": young_person_duplicate_check,
        "confirm": "None of these — record a new young person",
        "back": "people:list",
    },
    "person_of_interest": {
        "noun": "person of interest",
        "run": person_of_interest_duplicate_check,
        "confirm": "None of these — record a new person of interest",
        "back": "people:poi_list",
    },
}


def hold_for_duplicates(
    request: HttpRequest, actor: User, form: Any, *, kind: str
) -> HttpResponse | None:
    """After a create form validates: the page of likely existing records, unless there are
    none or the user has already seen them for these details and chosen to record a new one
    (``confirm_new`` holds the digest of the details checked). None means: go ahead."""
    facts = facts_from(form.cleaned_data)
    digest = fingerprint(facts)
    if form.cleaned_data.get("confirm_new") == digest:
        return None
    values = {k: v for k, v in form.cleaned_data.items() if k != "confirm_new"}
    try:  # details the service would refuse are shown as errors, not checked
        if kind == "young_person":
            services.young_person_validate(actor=actor, **values)
        else:
            services.person_of_interest_validate(**values)
    except FieldErrors:
        return None
    options = KINDS[kind]
    check = options["run"](actor, facts)
    if not check.count:
        return None
    data = form.data.copy()
    data["confirm_new"] = digest
    form.data = data
    return render(
        request,
        "people/duplicate_check.html",
        {**options, "form": form, "check": check, "kind": kind, "likely_weight": LIKELY_WEIGHT},
    )


YOUNG_PERSON_MERGE: dict[str, Any] = {
    "noun": "young person",
    "routes": {
        "detail": "people:detail",
        "choose": "people:merge_choose",
        "undo": "people:merge_undo",
        "back": "people:list",
    },
    "back_label": "Back to young people",
    "moves": "Every intelligence item, missing episode, referral, cohort spell, link, group "
    "membership and emergency-access grant of the other record moves to the one kept.",
}


def _seen_for_merge(actor: User, pk: Any) -> YoungPerson:
    """The young person ``pk`` if the user may merge it: 404 otherwise (emergency access is
    not a reason to merge)."""
    try:
        seen = selectors.access_young_person(actor, pk, rule="can_merge_records")
    except selectors.EmergencyAccessRequired as exc:
        raise Http404("No such young person") from exc
    return seen.person


def _label(person: YoungPerson) -> str:
    born = f"born {person.date_of_birth:%-d %B %Y}" if person.date_of_birth else "born: not known"
    return f"{person}, {born}, recorded by {person.recording_agency}"


class MergeChooseView(RuleRequiredMixin, View):
    """Step 1: choose the other record, the likely duplicates offered first."""

    rule = "can_merge_records"

    def _render(self, request: HttpRequest, person: YoungPerson, data: Any = None) -> HttpResponse:
        search = request.GET.get("q", "").strip()[:100]
        found = merge_candidates(self.actor, person, search=search)
        choices = []
        for f in found:
            reasons = "; ".join(f.match.reasons)
            choices.append(
                (str(f.record.pk), _label(f.record) + (f" ({reasons})" if reasons else ""))
            )
        form = MergeChooseForm(data, choices=choices)
        if data is not None and form.is_valid():
            return redirect("people:merge_compare", pk=person.pk, other=form.cleaned_data["other"])
        audit_record(
            actor=self.actor,
            verb=Verb.DUPLICATES_CHECKED,
            target=person,
            subject=person,
            basis=access_basis(self.actor, person) or "",
            changes={"matches": len(found), "searched": bool(search)},
        )
        return render(
            request,
            "people/merge_choose.html",
            {
                **YOUNG_PERSON_MERGE,
                "person": person,
                "form": form,
                "search": search,
                "found": found,
            },
            status=200 if data is None else 400,
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        return self._render(request, _seen_for_merge(self.actor, pk))

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        return self._render(request, _seen_for_merge(self.actor, pk), request.POST)


COMPARED = [
    ("Given names", "given_names"),
    ("Family name", "family_name"),
    ("Known aliases", "aliases"),
    ("Date of birth", "date_of_birth"),
    ("Gender", "get_gender_display"),
    ("School or college", "school"),
    ("Locality", "locality"),
    ("Postcode", "postcode"),
    ("Care status", "get_care_status_display"),
    ("Mosaic ID", "mosaic_id"),
    ("LiquidLogic ID", "liquidlogic_id"),
    ("Niche ID", "niche_id"),
    ("Flare ID", "flare_id"),
    ("NHS number", "nhs_number"),
    ("Lead professional", "lead_professional"),
    ("Recorded by", "recording_agency"),
]


def _value(person: YoungPerson, attr: str) -> str:
    value = getattr(person, attr)
    if callable(value):
        value = value()
    if isinstance(value, list):
        return ", ".join(value) or "None"
    if hasattr(value, "strftime"):
        return f"{value:%-d %B %Y}"
    if attr == "lead_professional" and value is not None:
        return str(value.full_name)
    return str(value) if value not in (None, "") else "Not recorded"


class MergeCompareView(RuleRequiredMixin, View):
    """Step 2: the two records side by side; choose which to keep and say why."""

    rule = "can_merge_records"

    def _context(self, person: YoungPerson, other: YoungPerson, form: Any) -> dict[str, Any]:
        rows: list[dict[str, Any]] = []
        for label, attr in COMPARED:
            a, b = _value(person, attr), _value(other, attr)
            rows.append({"label": label, "a": a, "b": b, "differs": a != b})
        return {**YOUNG_PERSON_MERGE, "person": person, "other": other, "rows": rows, "form": form}

    def _people(self, pk: Any, other_pk: Any) -> tuple[YoungPerson, YoungPerson]:
        if str(pk) == str(other_pk):
            raise Http404("Choose two different records")
        person = _seen_for_merge(self.actor, pk)
        other = _seen_for_merge(self.actor, other_pk)
        return person, other

    def _form(self, person: YoungPerson, other: YoungPerson, data: Any = None) -> Any:
        choices = [
            (str(person.pk), f"Keep {_label(person)}"),
            (str(other.pk), f"Keep {_label(other)}"),
        ]
        return MergeConfirmForm(data, choices=choices, initial={"keep": str(person.pk)})

    def get(self, request: HttpRequest, pk: Any, other: Any) -> HttpResponse:
        person, other_person = self._people(pk, other)
        with transaction.atomic():
            for seen in (person, other_person):
                audit_record(
                    actor=self.actor,
                    verb=Verb.PERSON_VIEWED,
                    target=seen,
                    subject=seen,
                    basis=access_basis(self.actor, seen) or "",
                )
        form = self._form(person, other_person)
        return render(
            request, "people/merge_compare.html", self._context(person, other_person, form)
        )

    def post(self, request: HttpRequest, pk: Any, other: Any) -> HttpResponse:
        person, other_person = self._people(pk, other)
        form = self._form(person, other_person, request.POST)
        status = 400
        if form.is_valid():
            keep, away = (
                (person, other_person)
                if form.cleaned_data["keep"] == str(person.pk)
                else (other_person, person)
            )
            try:
                merge = young_person_merge(
                    actor=self.actor, keep=keep, merge_away=away, reason=form.cleaned_data["reason"]
                )
            except NotPermitted:
                raise
            except FieldErrors as exc:
                add_domain_error(form, exc)
            except DomainError as exc:  # a merge the records' rules refuse
                add_domain_error(form, exc)
                status = 409
            else:
                messages.success(request, f"The record of {away} has been merged into {keep}.")
                return redirect("people:merge_detail", merge_pk=merge.pk)
        return render(
            request,
            "people/merge_compare.html",
            self._context(person, other_person, form),
            status=status,
        )


class MergeDetailView(RuleRequiredMixin, View):
    """A merge: which record was merged into which, what moved, and the undo."""

    rule = "can_merge_records"

    def get(self, request: HttpRequest, merge_pk: Any) -> HttpResponse:
        merge = merge_get_for_user(self.actor, merge_pk)
        audit_record(
            actor=self.actor,
            verb=Verb.PERSON_VIEWED,
            target=merge,
            subject=merge.keep,
            basis=access_basis(self.actor, merge.keep) or "",
        )
        return render(
            request,
            "people/merge_detail.html",
            {
                **YOUNG_PERSON_MERGE,
                "merge": merge,
                "summary": moved_summary(merge.moved),
                "form": MergeUndoForm(),
            },
        )


def moved_summary(moved: dict[str, Any] | None) -> list[tuple[str, int]]:
    """What a merge moved, as (label, count) rows."""
    summary = []
    for key, value in sorted((moved or {}).items()):
        count = (
            len(value.get("moved", [])) + len(value.get("shared", []))
            if isinstance(value, dict)
            else len(value)
        )
        summary.append((MOVED_LABELS.get(key, key), count))
    return summary


MOVED_LABELS = {
    "intelligence.intelligenceitem_young_people.youngperson_id": "Intelligence items",
    "people.missingepisode.young_person_id": "Missing episodes",
    "people.personofinterest.young_person_id": "Person of interest record",
    "referrals.referral.young_person_id": "Referrals",
    "cohort.cohortmembership.young_person_id": "Cohort spells",
    "cohort.reentryflag.young_person_id": "Re-entry flags",
    "links.link.source_young_person_id": "Links (from this young person)",
    "links.link.target_young_person_id": "Links (to this young person)",
    "links.retired": "Links between the two records (retired)",
    "groups.groupmembership.young_person_id": "Group memberships",
    "meetings.meeting.young_person_id": "Meetings about the young person",
    "meetings.agendaitem.young_person_id": "Agenda items",
    "meetings.decision.young_person_id": "Meeting decisions",
    "meetings.action.young_person_id": "Actions",
    "pathway.episode.young_person_id": "Pathway episodes",
    "access.emergencyaccessgrant": "Emergency access grants",
    "people.disruptionactivity.person_id": "Disruption activities",
    "intelligence.intelligenceitem_persons_of_interest.personofinterest_id": "Intelligence items",
    "links.link.source_person_of_interest_id": "Links (from this person)",
    "links.link.target_person_of_interest_id": "Links (to this person)",
    "groups.groupmembership.person_of_interest_id": "Group memberships",
    "meetings.agendaitem.person_of_interest_id": "Agenda items",
    "meetings.action.person_of_interest_id": "Actions",
    "aliases.added": "Names added as aliases",
}


class MergedRecordView(RuleRequiredMixin, View):
    """The page of a merged-away record: where it went."""

    rule = "can_merge_records"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        merge = merge_of_merged_away(self.actor, pk)
        return redirect("people:merge_detail", merge_pk=merge.pk)


class MergeUndoView(RuleRequiredMixin, View):
    rule = "can_merge_records"

    def post(self, request: HttpRequest, merge_pk: Any) -> HttpResponse:
        merge = merge_get_for_user(self.actor, merge_pk)
        try:
            young_person_merge_undo(actor=self.actor, merge=merge)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("people:merge_detail", merge_pk=merge.pk)
        messages.success(
            request,
            f"The merge has been undone: {merge.merge_away} and {merge.keep} are separate records "
            "again.",
        )
        return redirect("people:detail", pk=merge.merge_away_id)


class DuplicateReportView(RuleRequiredMixin, View):
    """The area's likely duplicate records, one kind at a time, 25 pairs a page: each pair
    with its weight explained, "not the same person", or the merge."""

    rule = "can_review_duplicates"

    def get(self, request: HttpRequest) -> HttpResponse:
        kind = request.GET.get("kind", DuplicateKind.YOUNG_PERSON)
        report = duplicate_report(self.actor, kind, request.GET.get("page"))
        return render(
            request,
            "people/duplicate_report.html",
            {
                "report": report,
                "kinds": DuplicateKind.choices,
                "query": urlencode({"kind": report.kind}),
                "likely_weight": LIKELY_WEIGHT,
            },
        )


class NotSamePersonView(RuleRequiredMixin, View):
    """Record that a pair of the report is two different people (POST only)."""

    rule = "can_review_duplicates"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = NotSamePersonForm(request.POST)
        kind = request.POST.get("kind", DuplicateKind.YOUNG_PERSON)
        back = f"{reverse('people:duplicate_report')}?{urlencode({'kind': kind})}"
        if not form.is_valid():
            messages.error(request, "Choose a pair of the report to mark as different people.")
            return redirect(back)
        try:
            services.not_same_person_record(
                actor=self.actor,
                kind=form.cleaned_data["kind"],
                first=form.cleaned_data["first"],
                second=form.cleaned_data["second"],
                reason=form.cleaned_data["reason"],
            )
        except FieldErrors as exc:
            messages.error(request, "; ".join(exc.errors.values()))
            return redirect(back)
        messages.success(
            request, "Marked as different people: the pair will not be shown in the report again."
        )
        return redirect(back)
