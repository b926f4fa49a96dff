from django.urls import path  # noqa: F401

from riskpath.links import views  # noqa: F401

app_name = "links"

urlpatterns: list = []
