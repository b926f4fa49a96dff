from __future__ import annotations

from django import forms

from riskpath.core.forms import GovukForm
from riskpath.notifications.models import Delivery


class PreferenceForm(GovukForm):
    delivery = forms.ChoiceField(
        label="How do you want to be e-mailed of your notifications?",
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        help_text="Every notification is also listed in riskpath. E-mails name no one: they "
        "say what kind of thing it is and link to it.",
        error_messages={"required": "Select how you want to be e-mailed"},
    )
