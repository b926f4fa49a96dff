"""Link pages: add a link from a record's page (choose the type of the other end, then the
link), view, change and delete."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from riskpath.access import policy
from riskpath.access.views import RuleRequiredMixin
from riskpath.core.errors import DomainError
from riskpath.core.forms import add_domain_error, refused
from riskpath.groups.ends import END_LABELS, END_MODELS, ENDS, end_get, end_type_of
from riskpath.groups.ends import end_url as entity_url
from riskpath.links import selectors, services
from riskpath.links.forms import LinkCreateForm, LinkDeleteForm, LinkEditForm, LinkEndTypeForm
from riskpath.links.models import Link
from riskpath.people.picker import PickerStep


def orient(start: Any, other: Any) -> tuple[Any, Any]:
    """(source, target) so the link reads naturally: people before groups before places
    ("Kai frequents the park", "the group frequents the park"); between two of a kind, the
    record the link was added from comes first."""
    rank = {"young_person": 0, "person_of_interest": 1, "group": 2, "location": 3}
    if rank[end_type_of(other)] < rank[end_type_of(start)]:
        return other, start
    return start, other


class LinkCreateView(RuleRequiredMixin, View):
    """``?from_type=location&from_id=…`` asks for the type of the other end; adding
    ``&to_type=…`` shows the link form."""

    rule = "can_record_link"

    def _start(self, request: HttpRequest) -> tuple[str, Any]:
        from_type = request.GET.get("from_type", "")
        start = end_get(self.actor, from_type, request.GET.get("from_id", ""))
        if start is None:
            raise Http404("No such record")
        return from_type, start

    def _context(self, request: HttpRequest, from_type: str, start: Any) -> dict[str, Any]:
        return {
            "start": start,
            "start_type": END_LABELS[from_type].lower(),
            "start_url": entity_url(start),
            "from_type": from_type,
        }

    def _link_form(self, request: HttpRequest, to_type: str, data: Any = None) -> LinkCreateForm:
        return LinkCreateForm(
            data,
            to_type=to_type,
            user=self.actor,
            evidence=services.evidence_choices(self.actor),
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        from_type, start = self._start(request)
        context = self._context(request, from_type, start)
        to_type = request.GET.get("to_type")
        if to_type is None:
            context["form"] = LinkEndTypeForm()
            return render(request, "links/choose_type.html", context)
        if to_type not in END_MODELS:
            form = LinkEndTypeForm(request.GET)
            form.is_valid()
            context["form"] = form
            return render(request, "links/choose_type.html", context, status=400)
        context.update(form=self._link_form(request, to_type), to_type=to_type)
        context["back_url"] = self._step_one_url(from_type, start)
        return render(request, "links/create.html", context)

    def _step_one_url(self, from_type: str, start: Any) -> str:
        query = urlencode({"from_type": from_type, "from_id": str(start.pk)})
        return f"{reverse('links:create')}?{query}"

    def post(self, request: HttpRequest) -> HttpResponse:
        from_type, start = self._start(request)
        to_type = request.GET.get("to_type", "")
        if to_type not in END_MODELS:
            raise Http404("Choose the type of the other end first")
        form = self._link_form(request, to_type, request.POST)
        context = self._context(request, from_type, start)
        context.update(form=form, to_type=to_type)
        context["back_url"] = self._step_one_url(from_type, start)
        step = PickerStep.of(request.POST)
        if step is not None:
            context["form"] = step.show(form, self.actor, purpose="link")
            return render(request, "links/create.html", context)
        if form.is_valid():
            # The picker has checked the choice against what the user may choose.
            other = end_get(self.actor, to_type, form.cleaned_data["other"].pk)
            if other is None:
                noun = END_LABELS[to_type].lower()
                form.add_error("other", f"Search for and choose the {noun} at the other end")
            else:
                source, target = orient(start, other)
                try:
                    link = services.link_create(
                        actor=self.actor,
                        source=source,
                        target=target,
                        kind=form.cleaned_data["kind"],
                        strength=form.cleaned_data["strength"],
                        first_seen=form.cleaned_data["first_seen"],
                        last_seen=form.cleaned_data["last_seen"],
                        evidence=form.chosen_evidence(),
                    )
                except services.DuplicateLink as exc:
                    add_domain_error(form, exc)
                    context["existing"] = exc.existing
                except DomainError as exc:
                    add_domain_error(form, exc)
                else:
                    messages.success(request, "The link has been recorded.")
                    return redirect(entity_url(start) or reverse("links:detail", args=[link.pk]))
        return render(request, "links/create.html", context, status=400)


class LinkDetailView(RuleRequiredMixin, View):
    rule = "can_view_link"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        row = selectors.link_get_for_user(self.actor, pk)
        return render(
            request,
            "links/detail.html",
            {
                "row": row,
                "link": row.link,
                "evidence": selectors.link_evidence_for_user(self.actor, row.link),
                "can_record": policy.check("can_record_link", self.actor, row.link),
            },
        )


def _row(link: Link, user: Any) -> selectors.LinkRow:
    return selectors.rows_for(user, [link])[0]


class LinkEditView(RuleRequiredMixin, View):
    rule = "can_record_link"

    def _form(self, link: Link, data: Any = None) -> LinkEditForm:
        evidence = {item.pk: item for item in services.evidence_choices(self.actor)}
        cited = services.citable(self.actor, link.evidence.all())
        for item in cited:
            evidence.setdefault(item.pk, item)
        initial = {
            "kind": link.kind,
            "strength": link.strength,
            "first_seen": link.first_seen,
            "last_seen": link.last_seen,
            "evidence": [str(item.pk) for item in cited],
            "version": link.version,
        }
        return LinkEditForm(data, initial=initial, evidence=evidence.values())

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        row = selectors.link_get_for_user(self.actor, pk, rule=self.rule)
        return render(
            request,
            "links/edit.html",
            {"form": self._form(row.link), "link": row.link, "row": row},
        )

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        link = selectors.access_link(self.actor, pk, rule=self.rule)
        form = self._form(link, request.POST)
        context: dict[str, Any] = {
            "form": form,
            "link": link,
            "row": _row(link, self.actor),
        }
        status = 400
        if form.is_valid():
            # Evidence the user cannot see stays cited: they can only change what they see.
            everything = list(link.evidence.all())
            shown = set(services.citable(self.actor, everything))
            withheld = [i for i in everything if i not in shown]
            try:
                services.link_update(
                    actor=self.actor,
                    link=link,
                    expected_version=form.cleaned_data["version"],
                    kind=form.cleaned_data["kind"],
                    strength=form.cleaned_data["strength"],
                    first_seen=form.cleaned_data["first_seen"],
                    last_seen=form.cleaned_data["last_seen"],
                    evidence=[*form.chosen_evidence(), *withheld],
                )
            except services.DuplicateLink as exc:
                add_domain_error(form, exc)
                context["existing"] = exc.existing
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, "The link has been updated.")
                return redirect("links:detail", pk=link.pk)
        return render(request, "links/edit.html", context, status=status)


class LinkDeleteView(RuleRequiredMixin, View):
    rule = "can_record_link"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        row = selectors.link_get_for_user(self.actor, pk, rule=self.rule)
        form = LinkDeleteForm(initial={"version": row.link.version})
        return render(request, "links/delete.html", {"form": form, "link": row.link, "row": row})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        link = selectors.access_link(self.actor, pk, rule=self.rule)
        form = LinkDeleteForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.link_delete(
                    actor=self.actor,
                    link=link,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, "The link has been deleted.")
                return redirect(_back(link, self.actor))
        return render(
            request,
            "links/delete.html",
            {"form": form, "link": link, "row": _row(link, self.actor)},
            status=status,
        )


def _back(link: Link, user: Any) -> str:
    """Where to go after deleting: a location's or group's page at one end, else home."""
    for side in ("source", "target"):
        for end in ENDS:
            obj = getattr(link, f"{side}_{end}")
            if obj is not None and end in ("location", "group"):
                url = entity_url(obj)
                if url:
                    return url
    return reverse("web:home")
