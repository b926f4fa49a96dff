from django.urls import path

from riskpath.administration import views

app_name = "administration"

urlpatterns = [
    path("area/", views.AreaSettingsView.as_view(), name="area_settings"),
    path("area/closure-days/", views.ClosureDaysView.as_view(), name="closure_days"),
    path(
        "area/closure-days/<uuid:pk>/remove/",
        views.ClosureDayRemoveView.as_view(),
        name="closure_day_remove",
    ),
    path("agencies/", views.AgencyListView.as_view(), name="agency_list"),
    path("agencies/new/", views.AgencyCreateView.as_view(), name="agency_create"),
    path("agencies/<uuid:pk>/", views.AgencyEditView.as_view(), name="agency_edit"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<uuid:pk>/", views.UserEditView.as_view(), name="user_edit"),
]
