from django.urls import path

from riskpath.search import views

app_name = "search"

urlpatterns = [
    path("", views.SearchView.as_view(), name="results"),
    path("pick/", views.RecordPickView.as_view(), name="pick"),
]
