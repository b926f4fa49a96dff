from django.urls import path

from riskpath.referrals import views

app_name = "referrals"

urlpatterns = [
    path("young-person/<uuid:pk>/new/", views.ReferralCreateView.as_view(), name="create"),
    path("<uuid:pk>/edit/", views.ReferralEditView.as_view(), name="edit"),
]
