from riskpath.imports import views  # noqa: F401

app_name = "imports"

urlpatterns: list = []
