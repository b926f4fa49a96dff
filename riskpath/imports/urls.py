from django.urls import path

from riskpath.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportView.as_view(), name="index"),
    path("templates/<str:kind>.csv", views.ImportTemplateView.as_view(), name="template"),
]
