from django.urls import path

from riskpath.people import views

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
]
