from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

WIDGET_CLASSES = {
    "checkbox": "form-check-input",
    "radioselect": "form-check-input",
    "checkboxselectmultiple": "form-check-input",
    "select": "form-select",
    "selectmultiple": "form-select",
}


@register.filter
def styled(field: BoundField) -> SafeString:
    """Render a field's widget with the Bootstrap Italia class for its kind."""
    css = WIDGET_CLASSES.get(field.widget_type, "form-control")
    existing = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})
