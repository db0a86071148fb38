from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from welfare.lib import dates
from welfare.lib.money import format_euros

register = template.Library()

WIDGET_CLASSES = {
    "checkbox": "form-check-input",
    "select": "form-select",
    "selectmultiple": "form-select",
}
# Lists of radios or checkboxes: the class would also land on their container; portal.css styles them.
UNSTYLED = {"radioselect", "checkboxselectmultiple"}


@register.simple_tag(takes_context=True)
def content_lang(context: dict[str, Any]) -> SafeString:
    """` lang="it"` on content written in Italian (service descriptions, programmes) when the interface is in
    another language, so that screen readers pronounce it as Italian (WCAG 3.1.2)."""
    language = context.get("LANGUAGE_CODE") or get_language()
    return SafeString("") if (language or "it").startswith("it") else SafeString(' lang="it"')


@register.filter
def compact_hours(hours: Any) -> list[str]:
    """A Social Point's opening hours or a service's schedule as "lun–ven 9–12" lines (lib.dates)."""
    return dates.compact_hours(
        (item.weekday, item.opens_at, item.closes_at) if hasattr(item, "opens_at") else
        (item.weekday, item.opens, item.closes)
        for item in hours
    )  # fmt: skip


@register.filter
def fields_with_errors(form: Any) -> list[BoundField]:
    """The fields of a form sent back with errors, for the summary at the top of the page (base.html), which
    links to each one; errors not tied to a field stay where the form shows them."""
    if not hasattr(form, "errors") or not hasattr(form, "visible_fields"):
        return []
    return [field for field in form.visible_fields() if field.errors]


@register.filter
def styled(field: BoundField) -> SafeString:
    """Render a field's widget with the Bootstrap Italia class for its kind."""
    if field.widget_type in UNSTYLED:
        return field.as_widget()
    css = WIDGET_CLASSES.get(field.widget_type, "form-control")
    existing = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], key: str, value: object = "") -> str:
    """The current query string with `key` set to `value` (removed when empty) and the page reset."""
    query = context["request"].GET.copy()
    query.pop("pagina", None)
    query.pop(key, None)
    if value not in ("", None):
        query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def euros(cents: int) -> str:
    """12345 → "123,45 €" (see welfare.lib.money.format_euros)."""
    return format_euros(cents)


@register.filter
def hours(minutes: int) -> str:
    """150 → "2,50": hours with two decimals, as statements are read by accountants."""
    whole, part = divmod((int(minutes) * 100 + 30) // 60, 100)
    return f"{whole},{part:02d}"


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key)
