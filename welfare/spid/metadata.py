"""The service provider's metadata, as AgID (SPID, Avviso 29 v3) and the Ministry of the Interior (CIE) want it:
pysaml2 writes the SAML part, this adds what the federations require of a public administration, and signs it."""

import saml2
from django.conf import settings
from saml2 import md
from saml2.metadata import entity_descriptor, sign_entity_descriptor
from saml2.sigver import security_context

from welfare.spid.config import Federation, sp_config

SPID_NS = "https://spid.gov.it/saml-extensions"
CIE_NS = "https://www.cartaidentita.interno.gov.it/saml-extensions"
BASIC = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"


def _extension(name: str, namespace: str, text: str = "") -> saml2.ExtensionElement:
    return saml2.ExtensionElement(name, namespace=namespace, text=text or None)


def _spid_contact() -> md.ContactPerson:
    extensions = md.Extensions(extension_elements=[
        _extension("IPACode", SPID_NS, settings.SPID_IPA_CODE),
        _extension("Public", SPID_NS),
    ])  # fmt: skip
    return md.ContactPerson(
        contact_type="other",
        extensions=extensions,
        email_address=[md.EmailAddress(text=settings.SPID_CONTACT_EMAIL)],
        telephone_number=[md.TelephoneNumber(text=settings.SPID_CONTACT_PHONE)],
    )


def _cie_contact() -> md.ContactPerson:
    extensions = md.Extensions(extension_elements=[
        _extension("Public", CIE_NS),
        _extension("IPACode", CIE_NS, settings.SPID_IPA_CODE),
        _extension("Municipality", CIE_NS, settings.CIE_MUNICIPALITY_CODE),
        _extension("Province", CIE_NS, settings.CIE_PROVINCE),
        _extension("Country", CIE_NS, "IT"),
    ])  # fmt: skip
    return md.ContactPerson(
        contact_type="administrative",
        company=md.Company(text=settings.SPID_ORGANIZATION_NAME),
        extensions=extensions,
        email_address=[md.EmailAddress(text=settings.SPID_CONTACT_EMAIL)],
        telephone_number=[md.TelephoneNumber(text=settings.SPID_CONTACT_PHONE)],
    )


def metadata_xml(federation: Federation) -> str:
    conf = sp_config(federation)
    descriptor = entity_descriptor(conf)
    sp = descriptor.spsso_descriptor
    for index, service in enumerate(sp.assertion_consumer_service):
        service.index = str(index)
        service.is_default = "true" if index == 0 else None
    for index, service in enumerate(sp.attribute_consuming_service):
        service.index = str(index)
        service.service_name[0].lang = "it"
        service.service_name[0].text = settings.SPID_ORGANIZATION_NAME
        service.service_description = []
        for requested in service.requested_attribute:
            requested.name_format = BASIC
            requested.friendly_name = None
            requested.is_required = None
    # pysaml2 puts an encryption key beside the signing one: SPID and CIE use signing keys only.
    sp.key_descriptor = [key for key in sp.key_descriptor if key.use == "signing"]
    descriptor.extensions = None
    if federation.slug == "cie":
        descriptor.contact_person = [_cie_contact()]
        descriptor.register_prefix({"cie": CIE_NS})
    else:
        descriptor.contact_person = [_spid_contact()]
        descriptor.register_prefix({"spid": SPID_NS})
    _, signed = sign_entity_descriptor(
        descriptor, None, security_context(conf),
        sign_alg=saml2.xmldsig.SIG_RSA_SHA256, digest_alg=saml2.xmldsig.DIGEST_SHA256,
    )  # fmt: skip
    return str(signed)
