from django.urls import include, path

from riskpath.api import schema, views

app_name = "api"

urlpatterns = [
    path("openapi.json", schema.OpenAPISchemaView.as_view(), name="openapi"),
    path("me/", views.MeView.as_view(), name="me"),
    path("agencies/", views.AgencyListView.as_view(), name="agency_list"),
    path("agencies/<uuid:pk>/", views.AgencyDetailView.as_view(), name="agency_detail"),
    path("young-people/", views.YoungPersonListView.as_view(), name="young_person_list"),
    path(
        "young-people/<uuid:pk>/",
        views.YoungPersonDetailView.as_view(),
        name="young_person_detail",
    ),
    path("audit-events/", views.AuditEventListView.as_view(), name="audit_event_list"),
    # One module per domain app, so that each capability's endpoints sit together.
    path("", include("riskpath.api.v1_area")),
    path("", include("riskpath.api.v1_locations")),
    path("", include("riskpath.api.v1_groups")),
    path("", include("riskpath.api.v1_intelligence")),
    path("", include("riskpath.api.v1_links")),
    path("", include("riskpath.api.v1_referrals")),
    path("", include("riskpath.api.v1_governance")),
    path("", include("riskpath.api.v1_people")),
    path("", include("riskpath.api.v1_duplicates")),
    path("", include("riskpath.api.v1_cohort")),
    path("", include("riskpath.api.v1_imports")),
    path("", include("riskpath.api.v1_meetings")),
    path("", include("riskpath.api.v1_agenda")),
    path("", include("riskpath.api.v1_minutes")),
    path("", include("riskpath.api.v1_research")),
    path("", include("riskpath.api.v1_documents")),
    path("", include("riskpath.api.v1_actions")),
    path("", include("riskpath.api.v1_episodes")),
    path("", include("riskpath.api.v1_me")),
    path("", include("riskpath.api.v1_search")),
    path("", include("riskpath.api.v1_network")),
]
