from django.urls import path

from riskpath.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.AuditLogView.as_view(), name="log"),
    path("export.csv", views.AuditExportView.as_view(), name="export"),
]
