from django.urls import path

from riskpath.people import views, views_missing, views_poi

app_name = "people"

urlpatterns = [
    path("", views.YoungPersonListView.as_view(), name="list"),
    path("new/", views.YoungPersonCreateView.as_view(), name="create"),
    path("<uuid:pk>/", views.YoungPersonDetailView.as_view(), name="detail"),
    path("<uuid:pk>/edit/", views.YoungPersonEditView.as_view(), name="edit"),
    path(
        "<uuid:pk>/emergency-access/",
        views.YoungPersonEmergencyAccessView.as_view(),
        name="emergency_access",
    ),
    path("<uuid:pk>/delete/", views.YoungPersonDeleteView.as_view(), name="delete"),
    path("<uuid:pk>/restore/", views.YoungPersonRestoreView.as_view(), name="restore"),
    # Missing episodes, recorded from the young person's record
    path(
        "<uuid:pk>/missing/new/",
        views_missing.MissingEpisodeCreateView.as_view(),
        name="missing_create",
    ),
    path(
        "<uuid:pk>/missing/<uuid:episode_pk>/edit/",
        views_missing.MissingEpisodeEditView.as_view(),
        name="missing_edit",
    ),
    # Persons of interest
    path(
        "<uuid:pk>/person-of-interest/new/",
        views_poi.PersonOfInterestFromYoungPersonView.as_view(),
        name="poi_create_from_young_person",
    ),
    path("persons-of-interest/", views_poi.PersonOfInterestListView.as_view(), name="poi_list"),
    path(
        "persons-of-interest/new/",
        views_poi.PersonOfInterestCreateView.as_view(),
        name="poi_create",
    ),
    path(
        "persons-of-interest/<uuid:pk>/",
        views_poi.PersonOfInterestDetailView.as_view(),
        name="poi_detail",
    ),
    path(
        "persons-of-interest/<uuid:pk>/edit/",
        views_poi.PersonOfInterestEditView.as_view(),
        name="poi_edit",
    ),
    path(
        "persons-of-interest/<uuid:pk>/disruptions/",
        views_poi.DisruptionCreateView.as_view(),
        name="poi_disruption_create",
    ),
]
