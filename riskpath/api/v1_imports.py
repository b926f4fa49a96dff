"""API v1 endpoints for bulk imports: upload a partner's CSV or XLSX file of one kind and get
the import's report. The same service as the page and the command, so the same checks, the
same all-or-nothing rule and the same audit events."""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.api.views import ERRORS, PolicyAPIView
from riskpath.core.errors import FieldErrors
from riskpath.imports import services
from riskpath.imports.kinds import KINDS
from riskpath.imports.readers import MAX_FILE_BYTES


class ImportReportSerializer(serializers.Serializer):
    kind = serializers.CharField()
    rows = serializers.IntegerField(help_text="Rows read from the file (blank rows skipped)")
    created = serializers.IntegerField()
    already_imported = serializers.IntegerField(
        help_text="Rows imported before (by their reference or content), skipped"
    )


class ImportProblemSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True, help_text="The column heading, or null for the whole row or file"
    )
    message = serializers.CharField()
    row = serializers.IntegerField(
        allow_null=True, help_text="The spreadsheet row (headings are row 1); null: the file"
    )


ImportRejectedSerializer = inline_serializer(
    name="ImportRejected",
    fields={
        **ImportReportSerializer().get_fields(),
        "errors": ImportProblemSerializer(many=True),
    },
)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A CSV (UTF-8) or XLSX file, at most 5 MB")


class ImportView(PolicyAPIView):
    rule = "can_import_records"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={200: ImportReportSerializer, **ERRORS, 400: ImportRejectedSerializer},
        summary="Import a file of intelligence or missing episodes (all or nothing)",
        description=(
            "`kind` is `intelligence` or `missing`. Every row is checked first; if any has a "
            "problem nothing is imported and the answer is 400 with one error per problem, "
            "naming the row and column. Rows imported before are skipped and counted."
        ),
    )
    def post(self, request: Request, kind: str) -> Response:
        if kind not in KINDS:
            raise Http404
        upload = request.FILES.get("file")
        if upload is None:
            raise FieldErrors({"file": "Select a file to import"})
        report = services.records_import(
            actor=self.actor,
            kind=kind,
            file_name=upload.name or "",
            data=upload.read(MAX_FILE_BYTES + 1),
        )
        body = {
            "kind": report.kind,
            "rows": report.rows,
            "created": report.created,
            "already_imported": report.already_imported,
        }
        if report.ok:
            return Response(body)
        body["errors"] = [
            {"field": p.column or None, "message": p.message, "row": p.row} for p in report.problems
        ]
        return Response(body, status=status.HTTP_400_BAD_REQUEST)


urlpatterns = [
    path("imports/<str:kind>/", ImportView.as_view(), name="imports_upload"),
]
