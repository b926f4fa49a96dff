"""The search API: ``GET /api/v1/search/?q=…&kind=…``, the header search's answer as JSON,
scoped and audited the same way (``riskpath.search.services``)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.api.views import ERRORS, PolicyAPIView, _valid
from riskpath.search import services
from riskpath.search.keys import QUERY_MAX
from riskpath.search.models import Kind


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=QUERY_MAX,
        required=False,
        default="",
        allow_blank=True,
        help_text="Words of a name, alias, place or address; a date of birth; a postcode",
    )
    kind = serializers.ChoiceField(
        choices=Kind.choices, required=False, help_text="Only this kind of record, paged"
    )
    page = serializers.IntegerField(min_value=1, required=False, help_text="With kind")


HitSerializer = inline_serializer(
    "SearchHit",
    {
        "kind": serializers.ChoiceField(choices=Kind.choices),
        "id": serializers.UUIDField(),
        "openable": serializers.BooleanField(
            help_text="False: a young person's record matches that you may not open"
        ),
        "title": serializers.CharField(help_text="Empty for a record you may not open"),
        "details": serializers.ListField(child=serializers.CharField()),
        "emergency_access": serializers.BooleanField(
            help_text="You may use emergency access to this record (with a reason)"
        ),
    },
)
GroupSerializer = inline_serializer(
    "SearchKindResults",
    {
        "kind": serializers.ChoiceField(choices=Kind.choices),
        "count": serializers.IntegerField(help_text="Matching records you may open"),
        "withheld": serializers.IntegerField(
            help_text="Matching young people's records you may not open"
        ),
        "results": serializers.ListField(child=HitSerializer),
        "page": serializers.IntegerField(allow_null=True),
        "pages": serializers.IntegerField(allow_null=True),
    },
)
SearchResultSerializer = inline_serializer(
    "SearchResults",
    {
        "query": serializers.CharField(),
        "searched": serializers.BooleanField(help_text="False for an empty search"),
        "message": serializers.CharField(),
        "kinds": serializers.ListField(child=GroupSerializer),
    },
)


class SearchView(PolicyAPIView):
    """Search young people, persons of interest (names and aliases), locations (name, address,
    postcode) and groups at once, tolerant of typos, nicknames and a swapped day and month.
    Scoped as the pages are: a young person you may not open is only said to exist, to roles
    that may know it; counts are of what you may open. Audited; an empty search finds
    nothing."""

    rule = "can_search_records"

    @extend_schema(
        parameters=[SearchQuerySerializer],
        responses={200: SearchResultSerializer, **ERRORS},
        summary="Search the records",
    )
    def get(self, request: Request) -> Response:
        data = _valid(SearchQuerySerializer, request.query_params)
        results = services.search(
            request.user, data["q"], kind=data.get("kind", ""), page=data.get("page", 1)
        )
        return Response(
            {
                "query": results.text,
                "searched": results.searched,
                "message": results.message,
                "kinds": [
                    {
                        "kind": group.kind,
                        "count": group.total,
                        "withheld": group.withheld,
                        "results": [
                            {
                                "kind": hit.kind,
                                "id": hit.record_id,
                                "openable": hit.openable,
                                "title": hit.title,
                                "details": list(hit.details),
                                "emergency_access": bool(hit.emergency_access_url),
                            }
                            for hit in group.hits
                        ],
                        "page": group.page.number if group.page else None,
                        "pages": group.page.paginator.num_pages if group.page else None,
                    }
                    for group in results.groups
                ],
            }
        )


urlpatterns = [path("search/", SearchView.as_view(), name="search")]
