from django.urls import path

from riskpath.intelligence import views

app_name = "intelligence"

urlpatterns = [
    path("", views.IntelligenceListView.as_view(), name="list"),
    path("new/", views.IntelligenceSubmitView.as_view(), name="submit"),
    path("disclosure-requests/", views.DisclosureListView.as_view(), name="disclosure_list"),
    path(
        "disclosure-requests/<uuid:pk>/",
        views.DisclosureDecideView.as_view(),
        name="disclosure_decide",
    ),
    path("<uuid:pk>/", views.IntelligenceDetailView.as_view(), name="detail"),
    path("<uuid:pk>/edit/", views.IntelligenceEditView.as_view(), name="edit"),
    path("<uuid:pk>/delete/", views.IntelligenceDeleteView.as_view(), name="delete"),
    path("<uuid:pk>/restore/", views.IntelligenceRestoreView.as_view(), name="restore"),
    path(
        "<uuid:pk>/request-disclosure/",
        views.DisclosureRequestView.as_view(),
        name="request_disclosure",
    ),
]
