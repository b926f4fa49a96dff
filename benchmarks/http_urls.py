"""The benchmark server's URLconf: the bare views under ``/bench-bare/``, then every route of
the application unchanged (``riskpath.config.urls``)."""

from __future__ import annotations

from django.urls import include, path

from benchmarks import http_views

urlpatterns = [
    path("bench-bare/<slug:page>/", http_views.bare, name="bench_bare"),
    path("", include("riskpath.config.urls")),
]
