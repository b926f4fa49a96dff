"""The pathway's pages: the timescale dashboard, opening an episode, one episode with the
forms for its next steps, confirming a flag, and the quarterly timeliness report."""

from django.urls import path

from riskpath.pathway import views

app_name = "pathway"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("new/", views.EpisodeOpenView.as_view(), name="open"),
    path("timeliness/", views.TimelinessView.as_view(), name="timeliness"),
    path("<uuid:pk>/", views.EpisodeDetailView.as_view(), name="detail"),
    path("<uuid:pk>/steps/<slug:action>/", views.EpisodeActView.as_view(), name="act"),
    path("flags/<uuid:pk>/confirm/", views.FlagConfirmView.as_view(), name="flag_confirm"),
]
