from django import template

from welfare.spid.config import FEDERATIONS
from welfare.spid.providers import identity_providers

register = template.Library()


@register.simple_tag
def identity_login(slug: str) -> dict[str, object] | None:
    """What the login page shows for SPID or CIE: nothing when it is off."""
    federation = FEDERATIONS[slug]
    if not federation.enabled:
        return None
    return {"federation": federation, "providers": identity_providers(federation)}
