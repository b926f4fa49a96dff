from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Being told: in-app notifications, each user's choice of e-mail (straight away, a daily
    digest, or none), and the one mechanism that sends any reminder or notice once per key
    (``notify``). Low in the layers (above ``jobs``, below every domain app) so that any app
    may tell someone something; it knows nothing of what it is telling."""

    name = "riskpath.notifications"
    label = "notifications"
    verbose_name = "Notifications"
