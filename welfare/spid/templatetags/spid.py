import logging

from django import template

from welfare.spid.config import FEDERATIONS
from welfare.spid.providers import identity_providers

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag
def identity_login(slug: str) -> dict[str, object] | None:
    """What the login page shows for SPID or CIE: nothing when it is off; no providers (and the page says so) when
    their metadata cannot be read, so that a broken file never takes the password login down with it."""
    federation = FEDERATIONS[slug]
    if not federation.enabled:
        return None
    try:
        providers = identity_providers(federation)
    except Exception:
        logger.exception("%s: the identity providers' metadata or the service provider's key cannot be read",
                         federation.label)  # fmt: skip
        providers = {}
    return {"federation": federation, "providers": providers}
