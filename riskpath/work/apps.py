from django.apps import AppConfig


class WorkConfig(AppConfig):
    """A user's work: what is theirs to do, from every domain app (``sources.py``), the count in
    the navigation, and telling them when something becomes theirs or falls due (``notices.py``:
    audit events it subscribes to, and the daily reminders). Above the domain apps, whose
    models and selectors it reads; below ``api`` and ``web``, which show it."""

    name = "riskpath.work"
    label = "work"
    verbose_name = "My work"

    def ready(self) -> None:
        from riskpath.work import notices, sources  # noqa: F401
