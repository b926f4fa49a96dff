from django.urls import path

from riskpath.people import (
    views,
    views_duplicates,
    views_missing,
    views_picker,
    views_poi,
    views_poi_merge,
    views_record_views,
)

app_name = "people"

urlpatterns = [
    path("", views.YoungPersonListView.as_view(), name="list"),
    path("new/", views.YoungPersonCreateView.as_view(), name="create"),
    path("pick/", views_picker.YoungPersonPickView.as_view(), name="pick"),
    path("<uuid:pk>/", views.YoungPersonDetailView.as_view(), name="detail"),
    path("<uuid:pk>/edit/", views.YoungPersonEditView.as_view(), name="edit"),
    path(
        "<uuid:pk>/views/",
        views_record_views.YoungPersonRecordViewsView.as_view(),
        name="record_views",
    ),
    path(
        "<uuid:pk>/emergency-access/",
        views.YoungPersonEmergencyAccessView.as_view(),
        name="emergency_access",
    ),
    path("<uuid:pk>/delete/", views.YoungPersonDeleteView.as_view(), name="delete"),
    path("<uuid:pk>/restore/", views.YoungPersonRestoreView.as_view(), name="restore"),
    # The area's likely duplicates, and deciding a pair is two people
    path("duplicates/", views_duplicates.DuplicateReportView.as_view(), name="duplicate_report"),
    path(
        "duplicates/not-the-same/",
        views_duplicates.NotSamePersonView.as_view(),
        name="not_same_person",
    ),
    # Merging two records of one young person
    path("<uuid:pk>/merge/", views_duplicates.MergeChooseView.as_view(), name="merge_choose"),
    path(
        "<uuid:pk>/merge/<uuid:other>/",
        views_duplicates.MergeCompareView.as_view(),
        name="merge_compare",
    ),
    path("<uuid:pk>/merged/", views_duplicates.MergedRecordView.as_view(), name="merged"),
    path(
        "merges/<uuid:merge_pk>/", views_duplicates.MergeDetailView.as_view(), name="merge_detail"
    ),
    path(
        "merges/<uuid:merge_pk>/undo/", views_duplicates.MergeUndoView.as_view(), name="merge_undo"
    ),
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
        "persons-of-interest/<uuid:pk>/merge/",
        views_poi_merge.PersonOfInterestMergeChooseView.as_view(),
        name="poi_merge_choose",
    ),
    path(
        "persons-of-interest/<uuid:pk>/merge/<uuid:other>/",
        views_poi_merge.PersonOfInterestMergeCompareView.as_view(),
        name="poi_merge_compare",
    ),
    path(
        "persons-of-interest/merges/<uuid:merge_pk>/",
        views_poi_merge.PersonOfInterestMergeDetailView.as_view(),
        name="poi_merge_detail",
    ),
    path(
        "persons-of-interest/merges/<uuid:merge_pk>/undo/",
        views_poi_merge.PersonOfInterestMergeUndoView.as_view(),
        name="poi_merge_undo",
    ),
    path(
        "persons-of-interest/<uuid:pk>/disruptions/",
        views_poi.DisruptionCreateView.as_view(),
        name="poi_disruption_create",
    ),
]
