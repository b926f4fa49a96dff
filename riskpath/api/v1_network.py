"""The network API: ``GET /api/v1/network/?around=<kind>:<id>&depth=<n>`` (or ``?group=<id>``,
or ``?cohort=1``), the chart's data and analysis as JSON, scoped and audited as the page is
(``riskpath.network.selectors``). Filters as the page's: ``kind`` (repeatable), ``strength``,
``seen_from``, ``seen_to``, ``harm_type``, ``source_evaluation``, ``assessment``, ``agency``."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.api.serializers import ErrorSerializer
from riskpath.api.views import ERRORS, PolicyAPIView, _seen
from riskpath.core.errors import FieldErrors
from riskpath.groups.ends import ENDS
from riskpath.links.models import LinkStrength
from riskpath.network import selectors
from riskpath.network.forms import NetworkFilterForm
from riskpath.network.presentation import network_data


class NetworkMeasuresSerializer(serializers.Serializer):
    degree = serializers.IntegerField(help_text="How many distinct records it is linked to")
    betweenness = serializers.FloatField(
        help_text="Betweenness centrality, normalised as networkx's default"
    )
    component = serializers.IntegerField(help_text="Its connected cluster, largest first, from 1")
    community = serializers.IntegerField(help_text="Its community (Louvain, fixed seed), from 1")
    articulation = serializers.BooleanField(help_text="Removing it splits its cluster")
    core = serializers.IntegerField(help_text="Its k-core number")


class NetworkNodeSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="<kind>:<uuid>")
    kind = serializers.ChoiceField(choices=list(ENDS))
    label = serializers.CharField()  # type: ignore[assignment]
    url = serializers.CharField(allow_null=True)
    tier = serializers.IntegerField(allow_null=True, help_text="A young person's cohort tier")
    centre = serializers.BooleanField(help_text="The chart is around this record")
    hidden_neighbours = serializers.IntegerField(
        help_text="Records linked to it that you may not open (never named)"
    )
    measures = NetworkMeasuresSerializer()


class NetworkEvidenceSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    grading = serializers.CharField(help_text="3x5x2, e.g. 1AP")
    agency = serializers.CharField()
    reported_on = serializers.DateField()
    harm_types = serializers.ListField(child=serializers.CharField())


class NetworkEdgeSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="link:<uuid>, or membership:<uuid> for a group's member")
    source = serializers.CharField()  # type: ignore[assignment]
    target = serializers.CharField()
    type = serializers.CharField(help_text="The link's kind, or 'membership'")
    type_label = serializers.CharField()
    strength = serializers.ChoiceField(
        choices=LinkStrength.choices, allow_blank=True, help_text="Empty for a membership"
    )
    first_seen = serializers.DateField(allow_null=True)
    last_seen = serializers.DateField(allow_null=True)
    recorded_by = serializers.CharField(help_text="The agency that recorded it")
    evidence_count = serializers.IntegerField(help_text="Evidence you may see")
    evidence_withheld = serializers.IntegerField(help_text="Evidence cited you may not see")
    evidence = NetworkEvidenceSerializer(many=True)


class NetworkFindingSerializer(serializers.Serializer):
    kind = serializers.CharField()
    text = serializers.CharField(help_text="In plain words")
    nodes = serializers.ListField(child=serializers.CharField())


class NetworkSerializer(serializers.Serializer):
    nodes = NetworkNodeSerializer(many=True)
    edges = NetworkEdgeSerializer(many=True)
    findings = NetworkFindingSerializer(many=True)
    hidden = serializers.IntegerField(help_text="Linked records you may not open, counted")
    capped = serializers.BooleanField(help_text="More records than the limit: the rest left out")
    limit = serializers.IntegerField()
    components = serializers.IntegerField()
    communities = serializers.IntegerField()


def scope_from(params: dict[str, str], depth: int | None) -> selectors.Scope:
    """Exactly one of ``around``, ``group`` and ``cohort``."""
    asked = [name for name in ("around", "group", "cohort") if params.get(name)]
    if len(asked) != 1:
        raise FieldErrors({"around": "Give one of around=<kind>:<id>, group=<id> or cohort=1"})
    if asked == ["cohort"]:
        if params["cohort"] not in ("1", "true"):
            raise FieldErrors({"cohort": "Give cohort=1"})
        return selectors.Scope("cohort")
    if asked == ["group"]:
        _, pk = selectors.parse_around(f"group:{params['group']}")
        return selectors.Scope("around", "group", pk, depth or selectors.GROUP_DEPTH)
    kind, pk = selectors.parse_around(params["around"])
    return selectors.Scope("around", kind, pk, depth or 1)


class NetworkView(PolicyAPIView):
    rule = selectors.RULE

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "around", str, description="<kind>:<id>, kind one of " + ", ".join(ENDS)
            ),
            OpenApiParameter("depth", int, enum=list(selectors.DEPTHS), description="1 to 3"),
            OpenApiParameter("group", OpenApiTypes.UUID, description="A whole group (depth 2)"),
            OpenApiParameter("cohort", str, enum=["1"], description="The cohort"),
            OpenApiParameter("kind", str, many=True, description="Only links of these kinds"),
            OpenApiParameter("strength", str, enum=["confirmed", "tentative"]),
            OpenApiParameter("seen_from", OpenApiTypes.DATE),
            OpenApiParameter("seen_to", OpenApiTypes.DATE),
            OpenApiParameter("harm_type", str, description="Of the evidence you may see"),
            OpenApiParameter("source_evaluation", str, enum=["1", "2"], description="At least"),
            OpenApiParameter("assessment", str, enum=["A", "B", "C", "D"], description="At least"),
            OpenApiParameter("agency", OpenApiTypes.UUID, description="The evidence's agency"),
        ],
        responses={200: NetworkSerializer, 404: ErrorSerializer, **ERRORS},
        summary="The network of links around a record, a group or the cohort (audited)",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        depth = selectors.parse_depth(params.get("depth"), default=0) or None
        scope = scope_from(params.dict(), depth)
        query = params.copy()
        query["depth"] = str(scope.depth)
        form = NetworkFilterForm(query, agencies=selectors.agency_choices(self.actor))
        if not form.is_valid():
            raise FieldErrors(
                {
                    field: " ".join(str(m) for m in messages)
                    for field, messages in form.errors.items()
                }
            )
        network = _seen(lambda: selectors.network_for_user(self.actor, scope, form.filters()))
        return Response(network_data(network))


urlpatterns = [path("network/", NetworkView.as_view(), name="network")]
