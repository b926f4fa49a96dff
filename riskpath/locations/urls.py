from django.urls import path

from riskpath.locations import views

app_name = "locations"

urlpatterns = [
    path("", views.LocationListView.as_view(), name="list"),
    path("new/", views.LocationCreateView.as_view(), name="create"),
    path("<uuid:pk>/", views.LocationDetailView.as_view(), name="detail"),
    path("<uuid:pk>/edit/", views.LocationEditView.as_view(), name="edit"),
    path("<uuid:pk>/delete/", views.LocationDeleteView.as_view(), name="delete"),
    path("<uuid:pk>/restore/", views.LocationRestoreView.as_view(), name="restore"),
]
