from django.urls import path

from riskpath.cohort import views

app_name = "cohort"

urlpatterns = [
    path("", views.CohortListView.as_view(), name="list"),
    path("export.csv", views.CohortExportView.as_view(), {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", views.CohortExportView.as_view(), {"fmt": "xlsx"}, name="export_xlsx"),
    path("add/", views.CohortAddView.as_view(), name="add"),
    path("re-entry/", views.ReentryFlagListView.as_view(), name="reentry"),
    path(
        "re-entry/<uuid:pk>/no-action/",
        views.ReentryNoActionView.as_view(),
        name="reentry_no_action",
    ),
    path("<uuid:pk>/", views.CohortDetailView.as_view(), name="detail"),
    path("<uuid:pk>/tier/", views.CohortTierView.as_view(), name="tier"),
    path("<uuid:pk>/exit/", views.CohortExitView.as_view(), name="exit"),
]
