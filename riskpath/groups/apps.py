from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "riskpath.groups"
    label = "groups"
    verbose_name = "Groups"
