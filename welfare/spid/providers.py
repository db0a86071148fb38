"""The identity providers a resident can choose, from the metadata the portal trusts, by their display name."""

from welfare.spid.config import Federation, sp_config


def identity_providers(federation: Federation) -> dict[str, str]:
    """Entity ID → name, in alphabetical order of name (the official SPID button lists them so)."""
    store = sp_config(federation).metadata
    providers = {entity: str(store.name(entity, "it") or entity) for entity in store.identity_providers()}
    return dict(sorted(providers.items(), key=lambda item: item[1].casefold()))
