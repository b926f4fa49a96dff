from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views import View

from riskpath.access.views import RuleRequiredMixin
from riskpath.core.errors import FieldErrors
from riskpath.core.forms import refused
from riskpath.core.paging import page_of
from riskpath.notifications import services
from riskpath.notifications.forms import PreferenceForm
from riskpath.notifications.kinds import label
from riskpath.notifications.selectors import notifications_for_user, unread_count

PAGE_SIZE = 50


class NotificationListView(RuleRequiredMixin, View):
    rule = "can_have_notifications"

    def get(self, request: HttpRequest) -> HttpResponse:
        unread_only = request.GET.get("show") == "unread"
        page = page_of(
            request, notifications_for_user(self.actor, unread_only=unread_only), PAGE_SIZE
        )
        rows = [{"n": n, "kind": label(n.kind)} for n in page.object_list]
        unread_count(self.actor)  # the navigation's count, refreshed
        return render(
            request,
            "notifications/list.html",
            {"page": page, "rows": rows, "unread_only": unread_only},
        )


class MarkReadView(RuleRequiredMixin, View):
    """Mark one notification read (``id``), or all of them."""

    rule = "can_have_notifications"

    def post(self, request: HttpRequest) -> HttpResponse:
        chosen = [i for i in request.POST.getlist("id") if i]
        try:
            ids = [uuid.UUID(i) for i in chosen] if chosen else None
        except ValueError:
            messages.error(request, "That notification could not be found")
            return redirect("notifications:list")
        changed = services.mark_read(actor=self.actor, ids=ids)
        messages.success(
            request, f"{changed} notification{'s' if changed != 1 else ''} marked read"
        )
        return redirect("notifications:list")


class PreferenceView(RuleRequiredMixin, View):
    rule = "can_have_notifications"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = PreferenceForm(initial={"delivery": services.delivery_of(self.actor)})
        return render(request, "notifications/preference.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.preference_set(actor=self.actor, delivery=form.cleaned_data["delivery"])
            except FieldErrors as exc:
                status = refused(form, exc)
                return render(
                    request, "notifications/preference.html", {"form": form}, status=status
                )
            messages.success(request, "Your choice is saved")
            return redirect("notifications:preference")
        return render(request, "notifications/preference.html", {"form": form}, status=400)


app_name = "notifications"
urlpatterns = [
    path("", NotificationListView.as_view(), name="list"),
    path("read/", MarkReadView.as_view(), name="mark_read"),
    path("settings/", PreferenceView.as_view(), name="preference"),
]
