"""Everything the portal holds about a resident and their household, for their right of access (GDPR art. 15):
a JSON of every record and a readable PDF, in one ZIP built in the background.

Every model of the portal is either exported here (`EXPORTED`: how its rows about the person are found) or named in
`NOT_ABOUT_RESIDENTS` with the reason; a test fails when a new model is in neither. Staff who acted on the records
appear by their role, never by name; encrypted notes about the person are decrypted for them (each read recorded).
"""

import datetime as dt
import io
import json
import uuid
import zipfile
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.accounts import models as accounts
from welfare.accounts.access import support_needs_of
from welfare.accounts.models import Membership, Role, User
from welfare.assistance import models as assistance
from welfare.assistance.access import interview_notes_of
from welfare.audit.models import AuditEntry
from welfare.care import models as care
from welfare.catalogue import models as catalogue
from welfare.delivery import models as delivery
from welfare.employers import models as employers
from welfare.family_assistants import models as family_assistants
from welfare.finder import models as finder
from welfare.ledger import models as ledger
from welfare.lib.pdf import render_pdf
from welfare.network import models as network
from welfare.operations.models import Heartbeat
from welfare.outreach import models as outreach
from welfare.outreach.actions import details_of, notes_of
from welfare.portal.models import PersonalDataExport
from welfare.territory import models as territory
from welfare.vouchers import models as vouchers
from welfare.vouchers.access import assessment_notes_of

Rows = Callable[[User], Iterable[models.Model]]


def _profile(user: User) -> accounts.CitizenProfile | None:
    return accounts.CitizenProfile.objects.filter(user=user).first()


def _requests(user: User) -> models.QuerySet[care.ServiceRequest]:
    return care.ServiceRequest.objects.filter(requester=user)


def _by_codice_fiscale[M: models.Model](model: type[M], field: str) -> Rows:
    """Rows linked by codice fiscale only (an employer's register, a campaign's list): none without a profile."""

    def rows(user: User) -> Iterable[models.Model]:
        profile = _profile(user)
        return model._default_manager.filter(**{field: profile.codice_fiscale}) if profile else []

    return rows


# How each model's rows about a resident are found. The household (its members, and what was asked or granted for
# them) hangs from the resident's profile and requests.
EXPORTED: dict[type[models.Model], Rows] = {
    accounts.User: lambda user: [user],
    accounts.CitizenProfile: lambda user: accounts.CitizenProfile.objects.filter(user=user),
    accounts.HouseholdMember: lambda user: accounts.HouseholdMember.objects.filter(owner__user=user),
    accounts.Delegation: lambda user: accounts.Delegation.objects.filter(Q(granter__user=user) | Q(delegate_user=user)),
    accounts.AssistedRegistration: lambda user: accounts.AssistedRegistration.objects.filter(profile__user=user),
    accounts.Notice: lambda user: accounts.Notice.objects.filter(user=user),
    accounts.ApiToken: lambda user: accounts.ApiToken.objects.filter(user=user),
    accounts.Membership: lambda user: Membership.objects.filter(user=user),
    network.ProviderApplication: lambda user: network.ProviderApplication.objects.filter(
        applicant_email__iexact=user.email),  # who applied for their organisation, by the address they gave
    care.ServiceRequest: _requests,
    care.RequestEvent: lambda user: care.RequestEvent.objects.filter(request__requester=user),
    care.Message: lambda user: care.Message.objects.filter(request__requester=user),
    care.Attachment: lambda user: care.Attachment.objects.filter(request__requester=user),
    care.ReadMark: lambda user: care.ReadMark.objects.filter(user=user),
    care.Complaint: lambda user: care.Complaint.objects.filter(complainant=user),
    catalogue.Review: lambda user: catalogue.Review.objects.filter(request__requester=user),
    vouchers.Application: lambda user: vouchers.Application.objects.filter(applicant=user),
    vouchers.ApplicationDocument: lambda user: vouchers.ApplicationDocument.objects.filter(application__applicant=user),
    vouchers.Voucher: lambda user: vouchers.Voucher.objects.filter(holder=user),
    ledger.Entry: lambda user: ledger.Entry.objects.filter(account__voucher__holder=user),
    delivery.Session: lambda user: delivery.Session.objects.filter(request__requester=user),
    assistance.Interview: lambda user: assistance.Interview.objects.filter(resident__user=user),
    assistance.Rectification: lambda user: assistance.Rectification.objects.filter(resident__user=user),
    assistance.Appointment: lambda user: assistance.Appointment.objects.filter(resident=user),
    employers.Employee: _by_codice_fiscale(employers.Employee, "codice_fiscale"),
    employers.Wallet: _by_codice_fiscale(employers.Wallet, "employee__codice_fiscale"),
    employers.Claim: lambda user: employers.Claim.objects.filter(submitted_by=user),
    outreach.Task: lambda user: outreach.Task.objects.filter(resident__user=user),
    outreach.CallMe: lambda user: outreach.CallMe.objects.filter(resident__user=user),
    outreach.CampaignEntry: _by_codice_fiscale(outreach.CampaignEntry, "codice_fiscale"),
    family_assistants.Listing: lambda user: family_assistants.Listing.objects.filter(user=user),
    family_assistants.Training: lambda user: family_assistants.Training.objects.filter(listing__user=user),
    family_assistants.Experience: lambda user: family_assistants.Experience.objects.filter(listing__user=user),
    family_assistants.Need: lambda user: family_assistants.Need.objects.filter(resident__user=user),
    family_assistants.Proposal: lambda user: family_assistants.Proposal.objects.filter(
        Q(need__resident__user=user) | Q(listing__user=user)),
    AuditEntry: lambda user: AuditEntry.objects.filter(Q(actor_id=user.pk) | Q(on_behalf_of_id=user.pk)),
}  # fmt: skip

NOT_ABOUT_RESIDENTS: dict[type[models.Model], str] = {
    accounts.IdempotencyRecord: "technical replay protection of API calls, kept for seven days",
    Heartbeat: "when the worker and the scheduler last showed they were alive",
    territory.District: "the district", territory.Municipality: "the municipalities",
    territory.SocialPoint: "the Social Points", territory.OpeningHours: "opening hours",
    territory.OpeningException: "closures and other hours of Social Points",
    territory.DistrictPage: "the district's guides and news",
    catalogue.Organization: "providers", catalogue.Taxonomy: "kinds of service", catalogue.TaxonomyTerm: "kinds",
    catalogue.Location: "places of services", catalogue.Service: "services", catalogue.CostOption: "prices",
    catalogue.ServiceAtLocation: "services at places", catalogue.Schedule: "timetables",
    catalogue.AccreditationCall: "calls for providers", catalogue.Accreditation: "providers' accreditations",
    vouchers.Programme: "voucher programmes", vouchers.IseeBand: "programme bands",
    vouchers.ProgrammeBudget: "budgets", vouchers.Ranking: "a ranking's publication (its rows are the applications)",
    ledger.Account: "accounts (the voucher's movements are exported as entries)",
    ledger.Transaction: "transactions (exported through their entries)",
    delivery.Statement: "providers' monthly statements",
    employers.Employer: "employers", employers.Plan: "welfare plans", employers.Allowance: "plan amounts",
    employers.PayrollMonth: "an employer's payroll month (its rows are the claims)",
    finder.FinderRule: "the needs finder's rules",
    outreach.SignalRule: "signal rules", outreach.Campaign: "a campaign (its rows are the entries)",
    outreach.HeatAlert: "heat-wave alerts",
    family_assistants.Requirement: "requirements of the register", family_assistants.ContractYear: "contract tables",
    family_assistants.PayRate: "contract tables", family_assistants.ContributionBand: "contract tables",
    family_assistants.Guide: "the hiring guide",
    PersonalDataExport: "the copy itself",
}  # fmt: skip

SKIPPED_FIELDS = {"password", "key_hash", "token_hash", "hashed_key", "contact_key"}


def _roles_by_user(user_ids: set[int]) -> dict[int, str]:
    labels = dict(Role.choices)
    found: dict[int, list[str]] = {}
    for user_id, role in Membership.objects.filter(user_id__in=user_ids).values_list("user_id", "role"):
        found.setdefault(user_id, []).append(str(labels[role]))
    return {user_id: ", ".join(sorted(set(names))) for user_id, names in found.items()}


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a file: its name only
        return value.name or ""
    if isinstance(value, models.Model):
        return str(value)
    return value


def _person(user_id: int | None, owner: User, roles: dict[int, str]) -> str:
    if user_id is None:
        return _("the portal")
    if user_id == owner.pk:
        return _("you")
    return roles.get(user_id) or _("another person (a family member or delegate)")


def _rows(model: type[models.Model], objects: Iterable[models.Model], owner: User) -> list[dict[str, Any]]:
    objects = list(objects)
    user_fields = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is User]
    people = {getattr(obj, f.attname) for obj in objects for f in user_fields} | {
        getattr(obj, name) for obj in objects for name in ("actor_id", "on_behalf_of_id") if model is AuditEntry
    }
    roles = _roles_by_user({pk for pk in people if pk})
    rows = []
    for obj in objects:
        row: dict[str, Any] = {}
        for field in model._meta.concrete_fields:
            if field.name in SKIPPED_FIELDS or field.name.endswith("_encrypted"):
                continue
            if field in user_fields or (model is AuditEntry and field.name in ("actor_id", "on_behalf_of_id")):
                row[field.name.removesuffix("_id")] = _person(getattr(obj, field.attname), owner, roles)
            elif field.is_relation:
                row[field.name] = _value(getattr(obj, field.name))
            else:
                row[field.name] = _value(getattr(obj, field.attname))
        row.update(_decrypted(obj, owner))
        rows.append(row)
    return rows


def _decrypted(obj: models.Model, owner: User) -> dict[str, Any]:
    """The notes kept encrypted about the person, decrypted for them (each read recorded by its function)."""
    if isinstance(obj, assistance.Interview):
        return {"notes": interview_notes_of(obj, reader=owner)}
    if isinstance(obj, vouchers.Application):
        return {"assessment_notes": assessment_notes_of(obj, reader=owner)}
    if isinstance(obj, outreach.Task):
        return {"details": details_of(obj), "notes": notes_of(obj)}
    if isinstance(obj, accounts.HouseholdMember):
        needs = support_needs_of(obj, reader=owner)
        return {
            "support_needs": needs.notes if needs else "",
            "disability_certified": bool(needs and needs.disability_certified),
        }
    return {}


def about() -> dict[str, Any]:
    """Purposes, recipients, retention and sources, as the privacy notice says them."""
    return {
        "controller": _("The data controller named in the privacy notice, for the municipalities of the district."),
        "purposes": [_("Knowing, choosing and requesting social services for you and your household."),
                     _("Vouchers, their assessment, ranking and accounting."),
                     _("Social Points' help, appointments and interviews, with your consent or delegation."),
                     _("Reaching people who may need help (outreach), on the legal bases the district records."),
                     _("Employer welfare credits, when your employer joined."),
                     _("The register of family assistants and the families' desk.")],
        "recipients": [_("The provider you asked a service from; your municipality's social workers; the Social "
                         "Point you delegated or consented to; the planning office; your employer's welfare "
                         "officer (figures for groups only, and your own receipts).")],
        "retention": _("For as long as the relationship lasts, then as the law requires (accounting records: 10 "
                       "years); records kept only by law are restricted first and anonymised at the end."),
        "sources": _("You; the people you delegated; the Social Points and social workers who helped you; your "
                     "employer (the register of employees); the lists the district receives for outreach."),
        "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
    }  # fmt: skip


def collect(owner: User) -> dict[str, Any]:
    sections = {}
    for model, rows in EXPORTED.items():
        sections[model._meta.label] = _rows(model, rows(owner), owner)
    return {"created_at": timezone.now().isoformat(), "about": about(), "records": sections}


def build_archive(owner: User) -> bytes:
    """The ZIP: dati.json (every record) and dati.pdf (the same, to read)."""
    data = collect(owner)
    titles = {model._meta.label: str(model._meta.verbose_name_plural).capitalize() for model in EXPORTED}
    pdf = render_pdf("portal/personal_data_pdf.html", {
        "data": data, "owner": owner,
        "sections": [(titles[key], rows) for key, rows in data["records"].items() if rows],
    })  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("dati.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        archive.writestr("dati.pdf", pdf)
    return buffer.getvalue()
