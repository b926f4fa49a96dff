from django.urls import path

from riskpath.groups import views

app_name = "groups"

urlpatterns = [
    path("", views.GroupListView.as_view(), name="list"),
    path("new/", views.GroupCreateView.as_view(), name="create"),
    path("<uuid:pk>/", views.GroupDetailView.as_view(), name="detail"),
    path("<uuid:pk>/edit/", views.GroupEditView.as_view(), name="edit"),
    path("<uuid:pk>/members/add/", views.GroupMemberAddView.as_view(), name="member_add"),
    path(
        "<uuid:pk>/members/<uuid:membership_pk>/end/",
        views.GroupMemberEndView.as_view(),
        name="member_end",
    ),
]
