"""A URL configuration with views that forgot their access rule, for the default-deny test."""

from django.http import HttpResponse
from django.urls import include, path
from django.views import View
from rest_framework.response import Response
from rest_framework.views import APIView

from riskpath.access.views import RuleRequiredMixin


class Forgotten(RuleRequiredMixin, View):
    def get(self, request):  # type: ignore[no-untyped-def]
        return HttpResponse("secret")


class ForgottenApi(APIView):
    def get(self, request):  # type: ignore[no-untyped-def]
        return Response({"secret": True})


urlpatterns = [
    path("forgotten/", Forgotten.as_view(), name="forgotten"),
    path("forgotten-api/", ForgottenApi.as_view(), name="forgotten_api"),
    path("", include("riskpath.web.urls")),
]
