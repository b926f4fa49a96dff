"""The meetings pages. Each part of the journey keeps its routes beside its views: ``views``
(the list, one meeting and its agenda), ``views_setup`` (meeting types and scheduling),
``views_conduct`` (attendance, declarations, minutes, approval), ``views_documents`` (papers
and minutes as PDF and DOCX), ``views_actions`` (the action register, partner-system tasks,
panel slots) and ``views_research`` (the names circulated for research, and name checks)."""

from riskpath.meetings import (
    views,
    views_actions,
    views_conduct,
    views_documents,
    views_research,
    views_setup,
)

app_name = "meetings"

urlpatterns = [
    *views.urlpatterns,
    *views_setup.urlpatterns,
    *views_conduct.urlpatterns,
    *views_documents.urlpatterns,
    *views_actions.urlpatterns,
    *views_research.urlpatterns,
]
