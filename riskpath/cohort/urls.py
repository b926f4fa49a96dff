from django.urls import path  # noqa: F401

from riskpath.cohort import views  # noqa: F401

app_name = "cohort"

urlpatterns: list = []
