from django.urls import path

from riskpath.network import views

app_name = "network"

urlpatterns = [
    path(
        "young-people/<uuid:pk>/",
        views.NetworkAroundView.as_view(end_type="young_person"),
        name="young_person",
    ),
    path(
        "persons-of-interest/<uuid:pk>/",
        views.NetworkAroundView.as_view(end_type="person_of_interest"),
        name="person_of_interest",
    ),
    path(
        "locations/<uuid:pk>/",
        views.NetworkAroundView.as_view(end_type="location"),
        name="location",
    ),
    path("groups/<uuid:pk>/", views.NetworkAroundView.as_view(end_type="group"), name="group"),
    path("cohort/", views.NetworkCohortView.as_view(), name="cohort"),
]
