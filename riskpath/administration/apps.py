from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    """The area administrator's pages: the area's settings and closure days, its agencies and
    its users. Above ``access`` (every page and service asks the policy); ``accounts`` below
    keeps who someone is and how they sign in."""

    name = "riskpath.administration"
    label = "administration"
    verbose_name = "Area administration"
