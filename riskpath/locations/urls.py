from django.urls import path  # noqa: F401

from riskpath.locations import views  # noqa: F401

app_name = "locations"

urlpatterns: list = []
