"""Pages to record and change a young person's missing episodes (from their record)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from riskpath.access.views import RuleRequiredMixin
from riskpath.core.errors import DomainError
from riskpath.core.forms import add_domain_error, refused
from riskpath.people import selectors, services
from riskpath.people.enums import EpisodeKind
from riskpath.people.forms import MissingEpisodeEditForm, MissingEpisodeForm
from riskpath.people.models import MissingEpisode

RULE = "can_record_missing_episode"


class MissingEpisodeCreateView(RuleRequiredMixin, View):
    rule = RULE

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        person = selectors.young_person_get_for_user(self.actor, pk, rule=self.rule).person
        form = MissingEpisodeForm(initial={"kind": EpisodeKind.MISSING})
        return render(request, "people/missing_form.html", {"form": form, "person": person})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        person = selectors.access_young_person(self.actor, pk, rule=self.rule).person
        form = MissingEpisodeForm(request.POST)
        if form.is_valid():
            try:
                episode = services.missing_episode_record(
                    actor=self.actor, young_person=person, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{episode} has been recorded.")
                return redirect("people:detail", pk=person.pk)
        return render(
            request, "people/missing_form.html", {"form": form, "person": person}, status=400
        )


class MissingEpisodeEditView(RuleRequiredMixin, View):
    rule = RULE

    def _form(self, episode: MissingEpisode, data: Any = None) -> MissingEpisodeEditForm:
        initial = {name: getattr(episode, name) for name in services.MISSING_FIELDS}
        return MissingEpisodeEditForm(data, initial={**initial, "version": episode.version})

    def get(self, request: HttpRequest, pk: Any, episode_pk: Any) -> HttpResponse:
        episode = self._episode(pk, episode_pk, read=True)
        context = {"form": self._form(episode), "person": episode.young_person, "episode": episode}
        return render(request, "people/missing_form.html", context)

    def post(self, request: HttpRequest, pk: Any, episode_pk: Any) -> HttpResponse:
        episode = self._episode(pk, episode_pk)
        form = self._form(episode, request.POST)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.missing_episode_update(
                    actor=self.actor, episode=episode, expected_version=version, **data
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, "The missing episode has been updated.")
                return redirect("people:detail", pk=episode.young_person_id)
        context = {"form": form, "person": episode.young_person, "episode": episode}
        return render(request, "people/missing_form.html", context, status=status)

    def _episode(self, pk: Any, episode_pk: Any, *, read: bool = False) -> MissingEpisode:
        from django.http import Http404

        lookup = (
            selectors.missing_episode_get_for_user if read else selectors.access_missing_episode
        )
        seen = lookup(self.actor, episode_pk, rule=self.rule)
        if seen.episode.young_person_id != pk:
            raise Http404("No such missing episode")
        return seen.episode
