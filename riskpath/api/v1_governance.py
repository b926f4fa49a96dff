"""API v1 endpoints for information governance: subject access requests (recording, the
deadline's pauses and extension, compiling, redaction review, approval and the disclosure).
Thin views over the governance app's selectors and services; the information-governance
officer's alone."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.api import serializers as s
from riskpath.api.views import ERRORS, PolicyAPIView, _valid
from riskpath.core.errors import DomainError, NotFound
from riskpath.governance import retention, selectors, services
from riskpath.governance.enums import (
    Exemption,
    HoldScope,
    PartyKind,
    PauseReason,
    RedactionDecision,
    RequesterKind,
)
from riskpath.governance.models import (
    DisclosureEntry,
    LegalHold,
    Redaction,
    RetentionReview,
    RetentionRule,
    SubjectAccessRequest,
)

NOT_FOUND = {404: s.ErrorSerializer}
RULE = services.RULE
COMPILE = services.COMPILE_RULE


class DeadlineSerializer(serializers.Serializer):
    due = serializers.DateField(allow_null=True, help_text="None while the deadline is paused")
    base = serializers.DateField(help_text="One calendar month from receipt (three if extended)")
    paused_days = serializers.IntegerField()
    paused_since = serializers.DateField(allow_null=True)
    days_left_at_pause = serializers.IntegerField(allow_null=True)


class PauseSerializer(serializers.Serializer):
    reason = serializers.CharField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)


class RequestSerializer(serializers.ModelSerializer):
    young_person = serializers.UUIDField(source="young_person_id", read_only=True)
    young_person_name = serializers.SerializerMethodField()
    deadline = serializers.SerializerMethodField()
    pauses = serializers.SerializerMethodField()

    class Meta:
        model = SubjectAccessRequest
        fields = [
            "id",
            "young_person",
            "young_person_name",
            "requester_name",
            "requester_kind",
            "received_on",
            "identity_checked_on",
            "identity_note",
            "extended",
            "extension_reason",
            "status",
            "deadline",
            "pauses",
            "version",
            "created_at",
        ]
        read_only_fields = fields

    def get_young_person_name(self, obj: SubjectAccessRequest) -> str:
        return str(obj.young_person)

    @extend_schema_field(DeadlineSerializer)
    def get_deadline(self, obj: SubjectAccessRequest) -> dict[str, Any]:
        d = services.request_deadline(obj)
        return DeadlineSerializer(d).data

    @extend_schema_field(PauseSerializer(many=True))
    def get_pauses(self, obj: SubjectAccessRequest) -> Any:
        return PauseSerializer(obj.pauses.all(), many=True).data


class EntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = DisclosureEntry
        fields = ["position", "occurred_on", "kind", "title", "text", "ref"]
        read_only_fields = fields


class RedactionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Redaction
        fields = [
            "id",
            "number",
            "term",
            "variants",
            "party_kind",
            "decision",
            "reason",
            "exemption",
            "decided_at",
        ]
        read_only_fields = fields


class RequestDetailSerializer(RequestSerializer):
    entries = EntrySerializer(many=True, read_only=True)
    redactions = RedactionSerializer(many=True, read_only=True)

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "entries", "redactions"]
        read_only_fields = fields


class RequestWriteSerializer(serializers.Serializer):
    young_person = serializers.UUIDField(help_text="The young person the request is about")
    requester_name = serializers.CharField(max_length=160)
    requester_kind = serializers.ChoiceField(choices=RequesterKind.choices)
    received_on = serializers.DateField()
    identity_checked_on = serializers.DateField(required=False, allow_null=True)
    identity_note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class IdentityWriteSerializer(serializers.Serializer):
    checked_on = serializers.DateField()
    note = serializers.CharField(max_length=300)


class PauseWriteSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=PauseReason.choices)
    started_on = serializers.DateField()


class ResumeWriteSerializer(serializers.Serializer):
    ended_on = serializers.DateField()


class ExtendWriteSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class RedactionDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[RedactionDecision.REDACT.value, RedactionDecision.KEEP.value]
    )
    exemption = serializers.ChoiceField(choices=Exemption.choices, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class RedactionAddSerializer(serializers.Serializer):
    term = serializers.CharField(max_length=200)
    party_kind = serializers.ChoiceField(choices=PartyKind.choices)
    exemption = serializers.ChoiceField(choices=Exemption.choices)
    reason = serializers.CharField(max_length=2000)


def _detail(user: Any, pk: Any) -> Response:
    view = selectors.request_get_for_user(user, pk)
    return Response(RequestDetailSerializer(view.request).data)


class RequestListView(PolicyAPIView):
    rule = RULE

    @extend_schema(
        operation_id="subject_access_request_list",
        responses={200: RequestSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        requests = selectors.request_list_for_user(self.actor)
        return Response(RequestSerializer(requests, many=True).data)

    @extend_schema(
        operation_id="subject_access_request_create",
        request=RequestWriteSerializer,
        responses={201: RequestSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = _valid(RequestWriteSerializer, request.data)
        data["young_person"] = selectors.young_person_for_request(self.actor, data["young_person"])
        made = services.request_record(actor=self.actor, **data)
        return Response(RequestSerializer(made).data, status=status.HTTP_201_CREATED)


class RequestDetailView(PolicyAPIView):
    rule = RULE

    @extend_schema(
        operation_id="subject_access_request_retrieve",
        responses={200: RequestDetailSerializer, **NOT_FOUND, **ERRORS},
    )
    def get(self, request: Request, pk: Any) -> Response:
        return _detail(self.actor, pk)


class _Step(PolicyAPIView):
    """A POST that takes one step of a request and answers with the request."""

    rule = RULE
    write: type[serializers.Serializer] | None = None

    def act(self, sar: SubjectAccessRequest, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request: Request, pk: Any) -> Response:
        sar = selectors.access_request(self.actor, pk, rule=self.rule or RULE)
        data = _valid(self.write, request.data) if self.write else {}
        self.act(sar, data)
        return _detail(self.actor, pk)


def _step_schema(operation_id: str, write: Any) -> Any:
    return extend_schema(
        operation_id=operation_id,
        request=write,
        responses={200: RequestDetailSerializer, **NOT_FOUND, **ERRORS},
    )


class IdentityView(_Step):
    write = IdentityWriteSerializer

    @_step_schema("subject_access_request_identity", IdentityWriteSerializer)
    def post(self, request: Request, pk: Any) -> Response:
        return super().post(request, pk)

    def act(self, sar: SubjectAccessRequest, data: dict[str, Any]) -> Any:
        return services.identity_record(actor=self.actor, request=sar, **data)


class PauseView(_Step):
    write = PauseWriteSerializer

    @_step_schema("subject_access_request_pause", PauseWriteSerializer)
    def post(self, request: Request, pk: Any) -> Response:
        return super().post(request, pk)

    def act(self, sar: SubjectAccessRequest, data: dict[str, Any]) -> Any:
        return services.request_pause(actor=self.actor, request=sar, **data)


class ResumeView(_Step):
    write = ResumeWriteSerializer

    @_step_schema("subject_access_request_resume", ResumeWriteSerializer)
    def post(self, request: Request, pk: Any) -> Response:
        return super().post(request, pk)

    def act(self, sar: SubjectAccessRequest, data: dict[str, Any]) -> Any:
        return services.request_resume(actor=self.actor, request=sar, **data)


class ExtendView(_Step):
    write = ExtendWriteSerializer

    @_step_schema("subject_access_request_extend", ExtendWriteSerializer)
    def post(self, request: Request, pk: Any) -> Response:
        return super().post(request, pk)

    def act(self, sar: SubjectAccessRequest, data: dict[str, Any]) -> Any:
        return services.request_extend(actor=self.actor, request=sar, **data)


class CompileView(_Step):
    rule = COMPILE

    @_step_schema("subject_access_request_compile", None)
    def post(self, request: Request, pk: Any) -> Response:
        return super().post(request, pk)

    def act(self, sar: SubjectAccessRequest, data: dict[str, Any]) -> Any:
        return services.disclosure_compile(actor=self.actor, request=sar)


class ApproveView(_Step):
    rule = COMPILE

    @_step_schema("subject_access_request_approve", None)
    def post(self, request: Request, pk: Any) -> Response:
        return super().post(request, pk)

    def act(self, sar: SubjectAccessRequest, data: dict[str, Any]) -> Any:
        return services.disclosure_approve(actor=self.actor, request=sar)


class RedactionListView(_Step):
    rule = COMPILE
    write = RedactionAddSerializer

    @_step_schema("subject_access_request_redaction_add", RedactionAddSerializer)
    def post(self, request: Request, pk: Any) -> Response:
        return super().post(request, pk)

    def act(self, sar: SubjectAccessRequest, data: dict[str, Any]) -> Any:
        return services.redaction_add(actor=self.actor, request=sar, **data)


class RedactionDetailView(PolicyAPIView):
    rule = COMPILE

    @extend_schema(
        operation_id="subject_access_request_redaction_decide",
        request=RedactionDecideSerializer,
        responses={200: RedactionSerializer, **NOT_FOUND, **ERRORS},
    )
    def patch(self, request: Request, pk: Any, redaction_pk: Any) -> Response:
        sar = selectors.access_request(self.actor, pk, rule=COMPILE)
        redaction = selectors.access_redaction(self.actor, sar, redaction_pk)
        data = _valid(RedactionDecideSerializer, request.data)
        decided = services.redaction_decide(
            actor=self.actor,
            redaction=redaction,
            decision=data["decision"],
            reason=data.get("reason", ""),
            exemption=data.get("exemption", ""),
        )
        return Response(RedactionSerializer(decided).data)


class DisclosureView(PolicyAPIView):
    rule = COMPILE

    @extend_schema(
        operation_id="subject_access_request_disclosure",
        responses={
            200: OpenApiResponse(OpenApiTypes.BINARY, description="The disclosure as PDF"),
            **NOT_FOUND,
            **ERRORS,
        },
    )
    def get(self, request: Request, pk: Any) -> HttpResponse:
        sar = selectors.access_request(self.actor, pk, rule=COMPILE)
        try:
            disclosure = services.disclosure_download(actor=self.actor, request=sar)
        except DomainError as exc:
            raise NotFound(exc.message) from exc
        response = HttpResponse(bytes(disclosure.content), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="disclosure-{str(sar.pk)[:8]}.pdf"'
        return response


BASE = "governance/subject-access-requests/"
urlpatterns = [
    path(BASE, RequestListView.as_view(), name="sar_list"),
    path(f"{BASE}<uuid:pk>/", RequestDetailView.as_view(), name="sar_detail"),
    path(f"{BASE}<uuid:pk>/identity/", IdentityView.as_view(), name="sar_identity"),
    path(f"{BASE}<uuid:pk>/pause/", PauseView.as_view(), name="sar_pause"),
    path(f"{BASE}<uuid:pk>/resume/", ResumeView.as_view(), name="sar_resume"),
    path(f"{BASE}<uuid:pk>/extend/", ExtendView.as_view(), name="sar_extend"),
    path(f"{BASE}<uuid:pk>/compile/", CompileView.as_view(), name="sar_compile"),
    path(f"{BASE}<uuid:pk>/redactions/", RedactionListView.as_view(), name="sar_redactions"),
    path(
        f"{BASE}<uuid:pk>/redactions/<uuid:redaction_pk>/",
        RedactionDetailView.as_view(),
        name="sar_redaction",
    ),
    path(f"{BASE}<uuid:pk>/approve/", ApproveView.as_view(), name="sar_approve"),
    path(f"{BASE}<uuid:pk>/disclosure/", DisclosureView.as_view(), name="sar_disclosure"),
]


# ---------------------------------------------------------------------------------------------
# Retention: the schedule, legal holds and the review of records due
# ---------------------------------------------------------------------------------------------


class RetentionRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = RetentionRule
        fields = ["id", "record_kind", "trigger", "period_months", "source", "version"]
        read_only_fields = fields


class LegalHoldSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalHold
        fields = ["id", "scope", "target_id", "target_label", "reason", "created_at", "lifted_at"]
        read_only_fields = fields


class LegalHoldWriteSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=HoldScope.choices)
    target_id = serializers.CharField(max_length=40, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class RetentionReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = RetentionReview
        fields = ["id", "record_kind", "record_id", "label", "due_on", "status"]
        read_only_fields = fields


class ReviewDecideSerializer(serializers.Serializer):
    dispose = serializers.BooleanField(help_text="True: approve its disposal; false: keep it")


class RetentionRuleListView(PolicyAPIView):
    rule = retention.RULE

    @extend_schema(
        operation_id="retention_rule_list",
        responses={200: RetentionRuleSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        rules = RetentionRule.objects.filter(area_id=self.actor.area_id)
        return Response(RetentionRuleSerializer(rules, many=True).data)


class LegalHoldListView(PolicyAPIView):
    rule = retention.RULE

    @extend_schema(
        operation_id="legal_hold_list", responses={200: LegalHoldSerializer(many=True), **ERRORS}
    )
    def get(self, request: Request) -> Response:
        holds = LegalHold.objects.filter(area_id=self.actor.area_id)
        return Response(LegalHoldSerializer(holds, many=True).data)

    @extend_schema(
        operation_id="legal_hold_create",
        request=LegalHoldWriteSerializer,
        responses={201: LegalHoldSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = _valid(LegalHoldWriteSerializer, request.data)
        hold = retention.hold_place(
            actor=self.actor,
            scope=data["scope"],
            target_id=data.get("target_id", ""),
            reason=data.get("reason", ""),
        )
        return Response(LegalHoldSerializer(hold).data, status=status.HTTP_201_CREATED)


class LegalHoldLiftView(PolicyAPIView):
    rule = retention.RULE

    @extend_schema(
        operation_id="legal_hold_lift",
        request=None,
        responses={200: LegalHoldSerializer, **NOT_FOUND, **ERRORS},
    )
    def post(self, request: Request, pk: Any) -> Response:
        hold = LegalHold.objects.filter(area_id=self.actor.area_id, pk=pk).first()
        if hold is None:
            raise NotFound()
        return Response(LegalHoldSerializer(retention.hold_lift(actor=self.actor, hold=hold)).data)


class RetentionReviewListView(PolicyAPIView):
    rule = retention.RULE

    @extend_schema(
        operation_id="retention_review_list",
        responses={200: RetentionReviewSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        reviews = retention.review_list_for_user(self.actor)
        return Response(RetentionReviewSerializer(reviews, many=True).data)


class RetentionReviewDecideView(PolicyAPIView):
    rule = retention.RULE

    @extend_schema(
        operation_id="retention_review_decide",
        request=ReviewDecideSerializer,
        responses={200: RetentionReviewSerializer, **NOT_FOUND, **ERRORS},
    )
    def post(self, request: Request, pk: Any) -> Response:
        review = RetentionReview.objects.filter(area_id=self.actor.area_id, pk=pk).first()
        if review is None:
            raise NotFound()
        data = _valid(ReviewDecideSerializer, request.data)
        decided = retention.review_decide(actor=self.actor, review=review, dispose=data["dispose"])
        return Response(RetentionReviewSerializer(decided).data)


urlpatterns += [
    path("governance/retention-rules/", RetentionRuleListView.as_view(), name="retention_rules"),
    path("governance/legal-holds/", LegalHoldListView.as_view(), name="legal_holds"),
    path(
        "governance/legal-holds/<uuid:pk>/lift/",
        LegalHoldLiftView.as_view(),
        name="legal_hold_lift",
    ),
    path(
        "governance/retention-reviews/",
        RetentionReviewListView.as_view(),
        name="retention_reviews",
    ),
    path(
        "governance/retention-reviews/<uuid:pk>/",
        RetentionReviewDecideView.as_view(),
        name="retention_review_decide",
    ),
]
