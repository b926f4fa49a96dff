from django.urls import path  # noqa: F401

from riskpath.groups import views  # noqa: F401

app_name = "groups"

urlpatterns: list = []
