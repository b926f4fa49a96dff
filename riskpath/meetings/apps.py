from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "riskpath.meetings"
    label = "meetings"
    verbose_name = "Meetings"
