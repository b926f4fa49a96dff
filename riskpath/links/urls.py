from django.urls import path

from riskpath.links import views

app_name = "links"

urlpatterns = [
    path("new/", views.LinkCreateView.as_view(), name="create"),
    path("<uuid:pk>/", views.LinkDetailView.as_view(), name="detail"),
    path("<uuid:pk>/edit/", views.LinkEditView.as_view(), name="edit"),
    path("<uuid:pk>/delete/", views.LinkDeleteView.as_view(), name="delete"),
]
