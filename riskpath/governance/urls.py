from django.urls import path

from riskpath.governance import views, views_retention

app_name = "governance"

urlpatterns = [
    path("requests/", views.RequestListView.as_view(), name="requests"),
    path("requests/new/", views.RequestCreateView.as_view(), name="request_create"),
    path("requests/pick/", views.PickView.as_view(), name="pick"),
    path("requests/<uuid:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path("requests/<uuid:pk>/identity/", views.IdentityView.as_view(), name="request_identity"),
    path("requests/<uuid:pk>/pause/", views.PauseView.as_view(), name="request_pause"),
    path("requests/<uuid:pk>/resume/", views.ResumeView.as_view(), name="request_resume"),
    path("requests/<uuid:pk>/extend/", views.ExtendView.as_view(), name="request_extend"),
    path("requests/<uuid:pk>/compile/", views.CompileView.as_view(), name="request_compile"),
    path(
        "requests/<uuid:pk>/redactions/new/",
        views.RedactionAddView.as_view(),
        name="redaction_add",
    ),
    path(
        "requests/<uuid:pk>/redactions/<uuid:redaction_pk>/",
        views.RedactionDecideView.as_view(),
        name="redaction_decide",
    ),
    path("requests/<uuid:pk>/approve/", views.ApproveView.as_view(), name="request_approve"),
    path("requests/<uuid:pk>/disclosure.pdf", views.DownloadView.as_view(), name="disclosure"),
    *views_retention.urlpatterns,
]
