from django.urls import path

from riskpath.auditlog import views

# The log's routes keep the name they have always had: audit:log, audit:export.
app_name = "audit"

urlpatterns = [
    path("", views.AuditLogView.as_view(), name="log"),
    path("export.csv", views.AuditExportView.as_view(), name="export"),
]
