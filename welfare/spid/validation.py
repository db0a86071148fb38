"""What SPID's technical rules ask of an identity provider's answer beyond what pysaml2 checks (signature, known
provider, InResponseTo of a request this browser made): every element and attribute present, in the expected
format, for this portal, in time, at the level asked. One refusal reason per check, never the person's data.
Each check names the spid-sp-test cases it answers."""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from saml2.saml import NAMEID_FORMAT_TRANSIENT, SCM_BEARER

from welfare.spid.config import ENTITY_FORMAT, LEVELS

INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$")
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"


class Refused(Exception):
    """The answer breaks a rule: the login is refused (the reason goes to the log, not to the person)."""


@dataclass(frozen=True)
class Expected:
    request_id: str
    request_issued: dt.datetime
    idp: str
    acs_url: str
    entity_id: str
    level: str
    skew: dt.timedelta


def parse_instant(value: str | None, what: str) -> dt.datetime:
    if not value or not INSTANT.match(value):
        raise Refused(f"{what}: missing or not a UTC instant")
    base = value[:19]
    return dt.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.UTC)


def _require(condition: object, reason: str) -> None:
    if not condition:
        raise Refused(reason)


def level_number(context: str) -> int:
    return next(number for number, uri in LEVELS.items() if uri == context)


def check_response(response: object, assertion: object, expected: Expected, now: dt.datetime) -> str:
    """Refuse the answer unless it follows the rules; returns the SPID level it was given at."""
    _check_envelope(response, expected, now)
    _check_assertion(assertion, expected, now)
    return _check_statements(assertion, expected)


def _check_envelope(response: object, expected: Expected, now: dt.datetime) -> None:
    r = response
    _require(getattr(r, "id", None), "Response ID missing (8, 9)")
    _require(getattr(r, "version", None) == "2.0", "Response Version not 2.0 (10)")
    issued = parse_instant(getattr(r, "issue_instant", None), "Response IssueInstant (11-13)")
    _require(issued >= expected.request_issued - expected.skew, "Response issued before the request (14)")
    _require(issued <= now + expected.skew, "Response issued in the future (15)")
    _require(getattr(r, "in_response_to", None) == expected.request_id, "Response InResponseTo (16-18)")
    _require(getattr(r, "destination", None) == expected.acs_url, "Response Destination (19-21)")
    status: Any = getattr(r, "status", None)
    code: Any = getattr(status, "status_code", None)
    _require(getattr(code, "value", None) == SUCCESS, "Response Status (22-26)")
    issuer: Any = getattr(r, "issuer", None)
    _require(issuer is not None and issuer.text and issuer.text.strip() == expected.idp, "Response Issuer (27-29)")
    _require(issuer.format in (None, ENTITY_FORMAT), "Response Issuer Format (30)")


def _check_assertion(a: object, expected: Expected, now: dt.datetime) -> None:
    _require(a is not None, "Assertion missing (32)")
    _require(getattr(a, "id", None), "Assertion ID (33, 34)")
    _require(getattr(a, "version", None) == "2.0", "Assertion Version (35)")
    issued = parse_instant(getattr(a, "issue_instant", None), "Assertion IssueInstant (36-38)")
    _require(issued >= expected.request_issued - expected.skew, "Assertion issued before the request (39)")
    _require(issued <= now + expected.skew, "Assertion issued in the future (40)")
    issuer: Any = getattr(a, "issuer", None)
    _require(issuer is not None and issuer.text and issuer.text.strip() == expected.idp, "Assertion Issuer (68, 69)")
    _require(issuer.format == ENTITY_FORMAT, "Assertion Issuer Format (70-72)")

    subject: Any = getattr(a, "subject", None)
    _require(subject is not None, "Subject (41, 42)")
    name_id: Any = getattr(subject, "name_id", None)
    _require(name_id is not None and name_id.text, "NameID (43, 44)")
    _require(name_id.format == NAMEID_FORMAT_TRANSIENT, "NameID Format (45-47)")
    _require(name_id.name_qualifier, "NameID NameQualifier (48, 49)")
    confirmations = getattr(subject, "subject_confirmation", None) or []
    _require(confirmations, "SubjectConfirmation (51, 52)")
    for confirmation in confirmations:
        _require(confirmation.method == SCM_BEARER, "SubjectConfirmation Method (53-55)")
        data = confirmation.subject_confirmation_data
        _require(data is not None, "SubjectConfirmationData (56)")
        _require(data.recipient == expected.acs_url, "SubjectConfirmationData Recipient (57-59)")
        _require(data.in_response_to == expected.request_id, "SubjectConfirmationData InResponseTo (60-62)")
        until = parse_instant(data.not_on_or_after, "SubjectConfirmationData NotOnOrAfter (63-65)")
        _require(until > now - expected.skew, "SubjectConfirmationData expired (66)")

    conditions: Any = getattr(a, "conditions", None)
    _require(conditions is not None, "Conditions (73, 74)")
    not_before = parse_instant(conditions.not_before, "Conditions NotBefore (75-77)")
    _require(not_before <= now + expected.skew, "Conditions NotBefore in the future (78)")
    until = parse_instant(conditions.not_on_or_after, "Conditions NotOnOrAfter (79-81)")
    _require(until > now - expected.skew, "Conditions expired (82)")
    restrictions = conditions.audience_restriction or []
    _require(restrictions, "AudienceRestriction (83, 84)")
    for restriction in restrictions:
        audiences = [audience.text.strip() for audience in restriction.audience or [] if audience.text]
        _require(audiences, "Audience (85, 86)")
        _require(expected.entity_id in audiences, "Audience is another service provider (87)")


def _check_statements(a: object, expected: Expected) -> str:
    statements = getattr(a, "authn_statement", None) or []
    _require(statements, "AuthnStatement (88, 89)")
    level = ""
    for statement in statements:
        context = statement.authn_context
        _require(context is not None, "AuthnContext (90, 91)")
        reference = context.authn_context_class_ref
        _require(reference is not None and reference.text, "AuthnContextClassRef (92, 93)")
        level = reference.text.strip()
        _require(level in LEVELS.values(), "AuthnContextClassRef not a SPID level (97)")
        _require(level_number(level) >= level_number(expected.level), "SPID level lower than asked (94-96)")
    attribute_statements = getattr(a, "attribute_statement", None) or []
    _require(attribute_statements, "AttributeStatement (98, 99)")
    for statement in attribute_statements:
        _require(statement.attribute, "AttributeStatement without attributes (98, 99)")
    return level


# The anomalies SPID's providers report (AgID, "Tabella messaggi di anomalia"): the person is told what happened.
ANOMALIES = {19, 20, 21, 22, 23, 25}


def anomaly_of(status_message: str | None) -> int | None:
    found = re.search(r"nr\s*(\d+)", status_message or "")
    if found and int(found.group(1)) in ANOMALIES:
        return int(found.group(1))
    return None
