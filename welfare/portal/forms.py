from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Every form field renders with our accessible Bootstrap Italia template."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
