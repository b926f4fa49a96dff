"""Pages for merging two records of one person of interest, and undoing a merge: the same
three steps as for young people (choose, compare, the merge and its undo)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from riskpath.access.views import RuleRequiredMixin
from riskpath.accounts.models import User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import DomainError, FieldErrors
from riskpath.core.forms import add_domain_error
from riskpath.people import selectors
from riskpath.people.duplicate_check import (
    poi_for_merge,
    poi_merge_candidates,
    poi_merge_get_for_user,
)
from riskpath.people.forms import MergeChooseForm, MergeConfirmForm, MergeUndoForm
from riskpath.people.merge import person_of_interest_merge, person_of_interest_merge_undo
from riskpath.people.models import PersonOfInterest
from riskpath.people.views_duplicates import moved_summary

PERSON_OF_INTEREST_MERGE: dict[str, Any] = {
    "noun": "person",
    "routes": {
        "detail": "people:poi_detail",
        "choose": "people:poi_merge_choose",
        "undo": "people:poi_merge_undo",
        "back": "people:poi_list",
    },
    "back_label": "Back to persons of interest",
    "moves": "Every disruption activity, intelligence item, link, group membership, agenda "
    "item and action of the other record moves to the one kept.",
}


def _label(person: PersonOfInterest) -> str:
    born = person.identity_date_of_birth
    parts = [
        str(person),
        f"born {born:%-d %B %Y}" if born else "born: not known",
        f"recorded by {person.recording_agency}",
    ]
    if person.young_person_id:
        parts.append("also a young person's record")
    return ", ".join(parts)


def _audit_viewed(actor: User, *people: PersonOfInterest) -> None:
    with transaction.atomic():
        for person in people:
            audit_record(
                actor=actor,
                verb=Verb.POI_VIEWED,
                target=person,
                subject=person.young_person if person.young_person_id else None,
                basis=selectors.POI_BASIS,
            )


class PersonOfInterestMergeChooseView(RuleRequiredMixin, View):
    """Step 1: choose the other record, the likely duplicates offered first."""

    rule = "can_merge_records"

    def _render(
        self, request: HttpRequest, person: PersonOfInterest, data: Any = None
    ) -> HttpResponse:
        search = request.GET.get("q", "").strip()[:100]
        found = poi_merge_candidates(self.actor, person, search=search)
        choices = []
        for f in found:
            reasons = "; ".join(f.match.reasons)
            choices.append(
                (str(f.record.pk), _label(f.record) + (f" ({reasons})" if reasons else ""))
            )
        form = MergeChooseForm(data, choices=choices, noun="person")
        if data is not None and form.is_valid():
            return redirect(
                "people:poi_merge_compare", pk=person.pk, other=form.cleaned_data["other"]
            )
        audit_record(
            actor=self.actor,
            verb=Verb.DUPLICATES_CHECKED,
            target=person,
            subject=person.young_person if person.young_person_id else None,
            basis=selectors.POI_BASIS,
            changes={"matches": len(found), "searched": bool(search)},
        )
        return render(
            request,
            "people/merge_choose.html",
            {
                **PERSON_OF_INTEREST_MERGE,
                "person": person,
                "form": form,
                "search": search,
                "found": found,
            },
            status=200 if data is None else 400,
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        return self._render(request, poi_for_merge(self.actor, pk))

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        return self._render(request, poi_for_merge(self.actor, pk), request.POST)


def _value(person: PersonOfInterest, attr: str) -> str:
    value = getattr(person, attr)
    if isinstance(value, list):
        return ", ".join(value) or "None"
    if hasattr(value, "strftime"):
        return f"{value:%-d %B %Y}"
    return str(value) if value not in (None, "") else "Not recorded"


COMPARED = [
    ("Given names", "identity_given_names"),
    ("Family name", "identity_family_name"),
    ("Known aliases", "identity_aliases"),
    ("Date of birth", "identity_date_of_birth"),
    ("Postcode", "postcode"),
    ("Description", "description"),
    ("Also a young person's record", "young_person"),
    ("Recorded by", "recording_agency"),
]


class PersonOfInterestMergeCompareView(RuleRequiredMixin, View):
    """Step 2: the two records side by side; choose which to keep and say why."""

    rule = "can_merge_records"

    def _people(self, pk: Any, other_pk: Any) -> tuple[PersonOfInterest, PersonOfInterest]:
        if str(pk) == str(other_pk):
            raise Http404("Choose two different records")
        return poi_for_merge(self.actor, pk), poi_for_merge(self.actor, other_pk)

    def _context(
        self, person: PersonOfInterest, other: PersonOfInterest, form: Any
    ) -> dict[str, Any]:
        rows: list[dict[str, Any]] = []
        for label, attr in COMPARED:
            if attr == "young_person":
                a = "Yes" if person.young_person_id else "No"
                b = "Yes" if other.young_person_id else "No"
            else:
                a, b = _value(person, attr), _value(other, attr)
            rows.append({"label": label, "a": a, "b": b, "differs": a != b})
        return {
            **PERSON_OF_INTEREST_MERGE,
            "person": person,
            "other": other,
            "rows": rows,
            "form": form,
        }

    def _form(self, person: PersonOfInterest, other: PersonOfInterest, data: Any = None) -> Any:
        # A young person's identity is never merged away: offered first, and chosen by default.
        initial = other if other.young_person_id and not person.young_person_id else person
        choices = [
            (str(person.pk), f"Keep {_label(person)}"),
            (str(other.pk), f"Keep {_label(other)}"),
        ]
        return MergeConfirmForm(
            data, choices=choices, noun="person", initial={"keep": str(initial.pk)}
        )

    def get(self, request: HttpRequest, pk: Any, other: Any) -> HttpResponse:
        person, other_person = self._people(pk, other)
        _audit_viewed(self.actor, person, other_person)
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
                merge = person_of_interest_merge(
                    actor=self.actor, keep=keep, merge_away=away, reason=form.cleaned_data["reason"]
                )
            except FieldErrors as exc:
                add_domain_error(form, exc)
            except DomainError as exc:  # a merge the records' rules refuse
                add_domain_error(form, exc)
                status = 409
            else:
                messages.success(request, f"The record of {away} has been merged into {keep}.")
                return redirect("people:poi_merge_detail", merge_pk=merge.pk)
        return render(
            request,
            "people/merge_compare.html",
            self._context(person, other_person, form),
            status=status,
        )


class PersonOfInterestMergeDetailView(RuleRequiredMixin, View):
    """A merge: which record was merged into which, what moved, and the undo."""

    rule = "can_merge_records"

    def get(self, request: HttpRequest, merge_pk: Any) -> HttpResponse:
        merge = poi_merge_get_for_user(self.actor, merge_pk)
        audit_record(
            actor=self.actor,
            verb=Verb.POI_VIEWED,
            target=merge,
            subject=merge.keep.young_person if merge.keep.young_person_id else None,
            basis=selectors.POI_BASIS,
        )
        return render(
            request,
            "people/merge_detail.html",
            {
                **PERSON_OF_INTEREST_MERGE,
                "merge": merge,
                "summary": moved_summary(merge.moved),
                "form": MergeUndoForm(),
            },
        )


class PersonOfInterestMergeUndoView(RuleRequiredMixin, View):
    rule = "can_merge_records"

    def post(self, request: HttpRequest, merge_pk: Any) -> HttpResponse:
        merge = poi_merge_get_for_user(self.actor, merge_pk)
        try:
            person_of_interest_merge_undo(actor=self.actor, merge=merge)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("people:poi_merge_detail", merge_pk=merge.pk)
        messages.success(
            request,
            f"The merge has been undone: {merge.merge_away} and {merge.keep} are separate records "
            "again.",
        )
        return redirect("people:poi_detail", pk=merge.merge_away_id)
