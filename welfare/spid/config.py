"""The portal as a SAML 2.0 service provider of the SPID and CIE federations (pysaml2 through djangosaml2).

One configuration per federation, built from the settings (docs/spid.md lists them): the portal's key and
certificate, the identity providers it trusts (AgID's registry for SPID, the Ministry of the Interior's for CIE,
and, where SPID_TEST_IDP is on, the local test identity provider of welfare/spid/test_idp.py), the attributes
asked for and the SPID level.
"""

import functools
from dataclasses import dataclass
from pathlib import Path

import saml2
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_TRANSIENT
from saml2.sigver import get_xmlsec_binary


@dataclass(frozen=True)
class Federation:
    """SPID or CIE: which login, at which addresses, trusting which identity providers."""

    slug: str
    label: str
    attributes: tuple[str, ...]

    @property
    def entity_id(self) -> str:
        return f"{settings.PORTAL_URL.rstrip('/')}/{self.slug}/metadata/"

    @property
    def acs_url(self) -> str:
        return f"{settings.PORTAL_URL.rstrip('/')}/{self.slug}/acs/"

    @property
    def sls_url(self) -> str:
        return f"{settings.PORTAL_URL.rstrip('/')}/{self.slug}/ls/"

    @property
    def enabled(self) -> bool:
        return bool(settings.CIE_ENABLED if self.slug == "cie" else settings.SPID_ENABLED)

    @property
    def metadata_files(self) -> list[str]:
        return list(settings.CIE_IDP_METADATA if self.slug == "cie" else settings.SPID_IDP_METADATA)


# What the portal asks the identity provider (AgID "Regole tecniche", attributes): the codice fiscale is the key,
# the rest fills the profile. CIE ID gives no email address, the resident types it.
SPID = Federation("spid", "SPID", ("fiscalNumber", "name", "familyName", "dateOfBirth", "email"))
CIE = Federation("cie", "CIE", ("fiscalNumber", "name", "familyName", "dateOfBirth"))
FEDERATIONS = {SPID.slug: SPID, CIE.slug: CIE}

LEVELS = {
    1: "https://www.spid.gov.it/SpidL1",
    2: "https://www.spid.gov.it/SpidL2",
    3: "https://www.spid.gov.it/SpidL3",
}
ENTITY_FORMAT = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"


def level_class() -> str:
    return LEVELS[settings.SPID_LEVEL]


def key_and_certificate() -> tuple[str, str]:
    key, cert = settings.SPID_KEY_FILE, settings.SPID_CERT_FILE
    if settings.SPID_TEST_IDP:  # a trial (the demo, the tests) makes its own, as manage.py spid_certificate does
        from welfare.spid.keys import ensure_key_pair

        ensure_key_pair(Path(key), Path(cert), common_name=settings.SPID_ORGANIZATION_NAME, entity_id=SPID.entity_id,
                        ipa_code=settings.SPID_IPA_CODE, locality=settings.SPID_ORGANIZATION_NAME)  # fmt: skip
    for path in (key, cert):
        if not Path(path).is_file():
            raise ImproperlyConfigured(
                f"SPID/CIE: {path} does not exist. Create the service provider's key and certificate "
                "(docs/spid.md; for a trial installation `manage.py spid_certificate`)."
            )
    return key, cert


def idp_metadata(federation: Federation) -> dict[str, list[object]]:
    sources: dict[str, list[object]] = {"local": [str(path) for path in federation.metadata_files]}
    if settings.SPID_TEST_IDP:
        from welfare.spid.test_idp import idp_metadata_xml

        sources["inline"] = [idp_metadata_xml()]
    return sources


@functools.cache
def _config(slug: str, fingerprint: tuple[object, ...]) -> SPConfig:
    """Built once per process (reading the identity providers' metadata takes a while)."""
    conf = SPConfig()
    conf.load(_settings(FEDERATIONS[slug]))
    return conf


def _settings(federation: Federation) -> dict[str, object]:
    key, cert = key_and_certificate()
    return {
        "entityid": federation.entity_id,
        "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
        "attribute_map_dir": str(Path(__file__).parent / "attribute_maps"),
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": settings.SPID_ORGANIZATION_NAME,
                "name_qualifier": federation.entity_id,
                "endpoints": {
                    "assertion_consumer_service": [(federation.acs_url, saml2.BINDING_HTTP_POST)],
                    "single_logout_service": [
                        (federation.sls_url, saml2.BINDING_HTTP_POST),
                        (federation.sls_url, saml2.BINDING_HTTP_REDIRECT),
                    ],
                },
                "required_attributes": list(federation.attributes),
                "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                "name_id_policy_format": NAMEID_FORMAT_TRANSIENT,
                "name_id_format_allow_create": False,
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,  # SPID signs the assertion always, the response may be unsigned
                "only_use_keys_in_metadata": True,
                "force_authn": True,
                "allow_unsolicited": False,
                "signing_algorithm": saml2.xmldsig.SIG_RSA_SHA256,
                "digest_algorithm": saml2.xmldsig.DIGEST_SHA256,
                "requested_authn_context": {"authn_context_class_ref": [level_class()], "comparison": "minimum"},
            }
        },
        "key_file": key,
        "cert_file": cert,
        "encryption_keypairs": [{"key_file": key, "cert_file": cert}],
        "metadata": idp_metadata(federation),
        "accepted_time_diff": settings.SPID_CLOCK_SKEW_SECONDS,
        "organization": {
            "name": [(settings.SPID_ORGANIZATION_NAME, "it"), (settings.SPID_ORGANIZATION_NAME, "en")],
            "display_name": [(settings.SPID_ORGANIZATION_NAME, "it"), (settings.SPID_ORGANIZATION_NAME, "en")],
            "url": [(settings.SPID_ORGANIZATION_URL, "it"), (settings.SPID_ORGANIZATION_URL, "en")],
        },
    }


def _fingerprint() -> tuple[object, ...]:
    """Tests change settings: a configuration is reused only while everything it was built from is unchanged."""
    return (
        settings.PORTAL_URL, settings.SPID_KEY_FILE, settings.SPID_CERT_FILE, tuple(settings.SPID_IDP_METADATA),
        tuple(settings.CIE_IDP_METADATA), settings.SPID_TEST_IDP, settings.SPID_LEVEL, settings.SPID_ORGANIZATION_NAME,
        settings.SPID_ORGANIZATION_URL, settings.SPID_CLOCK_SKEW_SECONDS,
    )  # fmt: skip


def sp_config(federation: Federation) -> SPConfig:
    return _config(federation.slug, _fingerprint())


def spid_config(request: HttpRequest | None = None) -> SPConfig:
    """The loader djangosaml2 calls (settings.SAML_CONFIG_LOADER)."""
    return sp_config(SPID)


def cie_config(request: HttpRequest | None = None) -> SPConfig:
    return sp_config(CIE)
