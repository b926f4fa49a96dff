"""Pages: upload a partner's file, and see either what was imported or every problem in it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from riskpath.access.views import RuleRequiredMixin
from riskpath.core.errors import DomainError
from riskpath.core.forms import add_domain_error
from riskpath.imports import services
from riskpath.imports.forms import ImportForm
from riskpath.imports.kinds import KINDS
from riskpath.imports.readers import MAX_FILE_BYTES


def _context(form: ImportForm, **extra: Any) -> dict[str, Any]:
    return {"form": form, "kinds": list(KINDS.values()), **extra}


class ImportView(RuleRequiredMixin, View):
    rule = "can_import_records"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(initial={"kind": request.GET.get("kind", "")})
        return render(request, "imports/index.html", _context(form))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        report = None
        file_name = ""
        if form.is_valid():
            upload = form.cleaned_data["file"]
            file_name = str(upload.name or "")[:200]
            # Never read more than the limit (plus one byte, to tell that it is over).
            data = upload.read(MAX_FILE_BYTES + 1)
            try:
                report = services.records_import(
                    actor=self.actor,
                    kind=form.cleaned_data["kind"],
                    file_name=file_name,
                    data=data,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                if report.ok:
                    messages.success(
                        request,
                        f"Import complete: {_records(report.created)} created, "
                        f"{report.already_imported} already imported.",
                    )
                    return redirect("imports:index")
                n = len(report.problems)
                form.add_error(
                    "file",
                    f"The file has {n} problem{'' if n == 1 else 's'}, listed below. "
                    "Nothing was imported.",
                )
        return render(
            request,
            "imports/index.html",
            _context(form, report=report, file_name=file_name),
            status=400,
        )


def _records(n: int) -> str:
    return f"{n} record{'' if n == 1 else 's'}"


class ImportTemplateView(RuleRequiredMixin, View):
    rule = "can_import_records"

    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        if kind not in KINDS:
            raise Http404
        response = HttpResponse(
            "\ufeff" + services.template_csv(kind), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="riskpath-{kind}-import.csv"'
        return response
