"""A local identity provider for the demo and the browser tests, in the portal itself: it answers the portal's
AuthnRequest with an assertion signed like a real SPID or CIE provider's, for an identity the tester chooses.

It exists only where settings.SPID_TEST_IDP is on (never outside DEBUG): production trusts only the providers of
AgID's and the Ministry's registries. Its key pair lives in VAR_DIR/spid and is made on first use.
"""

import base64
import datetime as dt
import functools
import zlib
from pathlib import Path

import saml2
from defusedxml import ElementTree
from django.conf import settings
from saml2 import class_name, saml, samlp
from saml2.s_utils import sid
from saml2.sigver import CryptoBackendXmlSec1, SecurityContext, get_xmlsec_binary, pre_signature_part

from welfare.spid.config import ENTITY_FORMAT, LEVELS
from welfare.spid.keys import certificate_body, ensure_key_pair

PATH = "/spid/idp-di-prova/"
SAMLP = "{urn:oasis:names:tc:SAML:2.0:protocol}"
SAML = "{urn:oasis:names:tc:SAML:2.0:assertion}"


def entity_id() -> str:
    return f"{settings.PORTAL_URL.rstrip('/')}{PATH}"


def sso_url() -> str:
    return f"{entity_id()}sso/"


def key_pair() -> tuple[Path, Path]:
    """Beside the service provider's key (made once: tests that move VAR_DIR do not make a new one each)."""
    folder = Path(settings.SPID_KEY_FILE).parent
    key, cert = folder / "test-idp.key", folder / "test-idp.crt"
    ensure_key_pair(key, cert, common_name="Identity provider di prova", entity_id=entity_id(), key_size=2048)
    return key, cert


@functools.cache
def _metadata(entity: str, cert_path: str) -> str:
    cert = certificate_body(Path(cert_path))
    sso = f"{entity}sso/"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"
    entityID="{entity}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"
      WantAuthnRequestsSigned="true">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
    <md:SingleSignOnService Binding="{saml2.BINDING_HTTP_REDIRECT}" Location="{sso}"/>
    <md:SingleSignOnService Binding="{saml2.BINDING_HTTP_POST}" Location="{sso}"/>
  </md:IDPSSODescriptor>
  <md:Organization>
    <md:OrganizationName xml:lang="it">Identity provider di prova</md:OrganizationName>
    <md:OrganizationDisplayName xml:lang="it">Identity provider di prova (solo demo)</md:OrganizationDisplayName>
    <md:OrganizationURL xml:lang="it">{entity}</md:OrganizationURL>
  </md:Organization>
</md:EntityDescriptor>"""


def idp_metadata_xml() -> str:
    _, cert = key_pair()
    return _metadata(entity_id(), str(cert))


def read_authn_request(saml_request: str) -> dict[str, str]:
    """What the test provider needs of the portal's AuthnRequest (HTTP-Redirect binding: deflated, base64)."""
    raw = base64.b64decode(saml_request)
    try:
        xml = zlib.decompress(raw, -15)
    except zlib.error:
        xml = raw  # HTTP-POST binding: not deflated
    root = ElementTree.fromstring(xml)
    issuer = root.find(f"{SAML}Issuer")
    context = root.find(f"{SAMLP}RequestedAuthnContext/{SAML}AuthnContextClassRef")
    return {
        "id": root.get("ID", ""),
        "acs_url": root.get("AssertionConsumerServiceURL", ""),
        "issuer": issuer.text if issuer is not None and issuer.text else "",
        "level": context.text if context is not None and context.text else LEVELS[2],
    }


def _instant(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def signed_response(*, request_id: str, acs_url: str, audience: str, level: str, attributes: dict[str, str]) -> str:
    """A Response with a signed Assertion, as SPID's technical rules describe it. An empty `attributes` answers
    that the person cancelled (ErrorCode nr25)."""
    key, cert = key_pair()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    issuer = entity_id()
    if not attributes:
        response = samlp.Response(
            id=sid(), version="2.0", issue_instant=_instant(now), destination=acs_url, in_response_to=request_id,
            issuer=saml.Issuer(text=issuer, format=ENTITY_FORMAT),
            status=samlp.Status(
                status_code=samlp.StatusCode(value=samlp.STATUS_RESPONDER,
                                             status_code=samlp.StatusCode(value=samlp.STATUS_AUTHN_FAILED)),
                status_message=samlp.StatusMessage(text="ErrorCode nr25"),
            ),
        )  # fmt: skip
        return str(response)
    assertion_id = sid()
    assertion = saml.Assertion(
        id=assertion_id, version="2.0", issue_instant=_instant(now),
        issuer=saml.Issuer(text=issuer, format=ENTITY_FORMAT),
        signature=pre_signature_part(assertion_id, certificate_body(cert), digest_alg=saml2.xmldsig.DIGEST_SHA256,
                                     sign_alg=saml2.xmldsig.SIG_RSA_SHA256),
        subject=saml.Subject(
            name_id=saml.NameID(text=sid(), format=saml.NAMEID_FORMAT_TRANSIENT, name_qualifier=issuer),
            subject_confirmation=[saml.SubjectConfirmation(
                method=saml.SCM_BEARER,
                subject_confirmation_data=saml.SubjectConfirmationData(
                    recipient=acs_url, in_response_to=request_id,
                    not_on_or_after=_instant(now + dt.timedelta(minutes=5)),
                ),
            )],
        ),
        conditions=saml.Conditions(
            not_before=_instant(now), not_on_or_after=_instant(now + dt.timedelta(minutes=5)),
            audience_restriction=[saml.AudienceRestriction(audience=[saml.Audience(text=audience)])],
        ),
        authn_statement=[saml.AuthnStatement(
            authn_instant=_instant(now), session_index=sid(),
            authn_context=saml.AuthnContext(authn_context_class_ref=saml.AuthnContextClassRef(text=level)),
        )],
        attribute_statement=[saml.AttributeStatement(attribute=[
            saml.Attribute(name=name, name_format="urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
                           attribute_value=[saml.AttributeValue(text=value)])
            for name, value in attributes.items()
        ])],
    )  # fmt: skip
    response = samlp.Response(
        id=sid(), version="2.0", issue_instant=_instant(now), destination=acs_url, in_response_to=request_id,
        issuer=saml.Issuer(text=issuer, format=ENTITY_FORMAT),
        status=samlp.Status(status_code=samlp.StatusCode(value=samlp.STATUS_SUCCESS)),
        assertion=assertion,
    )  # fmt: skip
    security = SecurityContext(CryptoBackendXmlSec1(get_xmlsec_binary(["/usr/bin", "/usr/local/bin"])),
                               key_file=str(key), cert_file=str(cert))  # fmt: skip
    signed: str = security.sign_statement(str(response), class_name(assertion), key_file=str(key), node_id=assertion_id)
    return signed
