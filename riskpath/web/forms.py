from django.forms.renderers import DjangoTemplates


class GovukFormRenderer(DjangoTemplates):
    """Renders every form, riskpath's and allauth's, with GOV.UK Design System markup."""

    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"
