"""Closing an account (GDPR art. 17 and 18) and the retention of what the law makes the district keep.

When a resident closes their account:
- what no law obliges the district to keep is deleted at once (notices, API tokens, read marks, copies of their
  data), and so are their contacts (email, phone, postal address) and their login (password, second factor);
- what the law requires to keep (requests, applications with their assessment, vouchers and their money, interviews)
  is **restricted**: every staff list and page stops showing it (`accounts.access.unrestricted`), only the planning
  office's accounts keep the figures; the reason is recorded;
- `manage.py apply_retention` (daily) then deletes the contact records after `RETENTION_YEARS["contacts"]` and
  anonymises everything else once the longest period of its record classes is over (accounting: 10 years by
  default): names, codici fiscali, free texts and files go; amounts, dates and states stay for the statistics.

Every model with rows about a resident (`personal_data.EXPORTED`) has its treatment in ON_CLOSURE; a test fails
when one is missing, as it does for the copy of one's data.
"""

import datetime as dt
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.accounts import models as accounts
from welfare.accounts.actions import end_delegations
from welfare.accounts.models import CitizenProfile, User
from welfare.assistance import models as assistance
from welfare.audit.actions import record
from welfare.audit.models import AuditEntry
from welfare.care import models as care
from welfare.catalogue import models as catalogue
from welfare.delivery import models as delivery
from welfare.employers import models as employers
from welfare.family_assistants import models as family_assistants
from welfare.family_assistants.actions import do_withdraw_listing
from welfare.ledger import models as ledger
from welfare.lib.mail import NO_EMAIL_DOMAIN
from welfare.network import models as network
from welfare.outreach import models as outreach
from welfare.portal.models import PersonalDataExport
from welfare.portal.personal_data import EXPORTED
from welfare.vouchers import models as vouchers

DELETE = "delete"  # deleted when the account closes
CONTACTS, CASE_FILE, ACCOUNTING, AUDIT = "contacts", "case_file", "accounting", "audit"

ON_CLOSURE: dict[type[models.Model], str] = {
    accounts.User: CASE_FILE, accounts.CitizenProfile: CASE_FILE, accounts.HouseholdMember: CASE_FILE,
    accounts.Delegation: CASE_FILE, accounts.AssistedRegistration: CASE_FILE,
    accounts.Notice: DELETE, accounts.ApiToken: DELETE, accounts.Membership: DELETE,
    care.ServiceRequest: CASE_FILE, care.RequestEvent: CASE_FILE, care.Message: CASE_FILE, care.Attachment: CASE_FILE,
    care.ReadMark: DELETE, care.Complaint: CASE_FILE, catalogue.Review: CASE_FILE,
    vouchers.Application: CASE_FILE, vouchers.ApplicationDocument: CASE_FILE,
    vouchers.Voucher: ACCOUNTING, ledger.Entry: ACCOUNTING, delivery.Session: ACCOUNTING,
    assistance.Interview: CASE_FILE, assistance.Rectification: CASE_FILE, assistance.Appointment: CONTACTS,
    employers.Employee: ACCOUNTING, employers.Wallet: ACCOUNTING, employers.Claim: ACCOUNTING,
    outreach.Task: CONTACTS, outreach.CallMe: CONTACTS, outreach.CampaignEntry: CONTACTS,
    family_assistants.Listing: CASE_FILE, family_assistants.Training: CASE_FILE,
    family_assistants.Experience: CASE_FILE, family_assistants.Need: CASE_FILE, family_assistants.Proposal: CASE_FILE,
    network.ProviderApplication: CASE_FILE,  # the organisation's record: only its applicant's name and email are theirs
    AuditEntry: AUDIT,
}  # fmt: skip

# What anonymisation empties in each kept model (names, codici fiscali, free texts, files); the rest (amounts,
# dates, states, links) stays for the accounts and the statistics. A model kept without an entry has nothing of
# the kind.
PERSONAL_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    accounts.User: ("first_name", "last_name", "email"),
    accounts.CitizenProfile: ("codice_fiscale", "birth_date", "phone", "postal_address", "identity_verified_fields"),
    accounts.HouseholdMember: ("first_name", "last_name", "codice_fiscale", "birth_date", "support_needs_encrypted"),
    accounts.AssistedRegistration: ("document_number",),
    network.ProviderApplication: ("applicant_first_name", "applicant_last_name", "applicant_email"),
    care.ServiceRequest: ("needs", "preferred_times", "proposed_operator"),
    care.RequestEvent: ("reason",),
    care.Message: ("body",),
    care.Attachment: ("file", "name"),
    care.Complaint: ("contact_name", "contact_email", "text_encrypted", "answer_encrypted"),
    catalogue.Review: ("comment", "reply"),
    vouchers.Application: ("household_situation", "assessment_notes_encrypted", "decision_reason"),
    vouchers.ApplicationDocument: ("file", "name"),
    delivery.Session: ("activity", "place", "correction_reason", "dispute_reason", "resolution_note"),
    assistance.Interview: ("notes_encrypted", "finder_answers"),
    assistance.Rectification: ("details", "answer"),
    employers.Employee: ("codice_fiscale", "first_name", "last_name", "email"),
    employers.Claim: ("beneficiary_name", "beneficiary_birth_date", "receipt", "certificate", "name"),
    family_assistants.Listing: ("codice_fiscale", "permit_number", "phone"),
    family_assistants.Training: ("title", "provider", "file", "name"),
    family_assistants.Experience: ("description", "reference_name", "reference_phone"),
}  # fmt: skip


def retention_years(record_class: str) -> int:
    years: int = settings.RETENTION_YEARS[record_class]
    return years


def in_progress(user: User) -> list[str]:
    """What must end before the account can close: the district cannot stop a service, a payment or an assessment
    half-way. Empty when nothing is in progress."""
    today = timezone.localdate()
    reasons = []
    if care.ServiceRequest.objects.filter(requester=user, state__in=care.OPEN_STATES).exists():
        reasons.append(_("a request for a service still open (withdraw it, or wait for it to end)"))
    pending = (vouchers.Application.Status.SUBMITTED, vouchers.Application.Status.INFO_REQUESTED,
               vouchers.Application.Status.APPROVED)  # fmt: skip
    if vouchers.Application.objects.filter(applicant=user, status__in=pending).exists():
        reasons.append(_("a voucher application being assessed (withdraw it first)"))
    if vouchers.Voucher.objects.filter(holder=user, status=vouchers.Voucher.Status.ACTIVE,
                                       valid_until__gte=today).exists():  # fmt: skip
        reasons.append(_("a voucher still valid (ask the planning office to end it)"))
    if employers.Claim.objects.filter(submitted_by=user, status=employers.Claim.Status.SUBMITTED).exists():
        reasons.append(_("a welfare claim waiting for your employer"))
    return reasons


def _rows(model: type[models.Model], user: User) -> list[models.Model]:
    return list(EXPORTED[model](user))


@transaction.atomic
def do_close_account(user: User, *, actor: User, reason: str = "") -> None:
    """Close the resident's account: delete what need not be kept, restrict the rest, end every access."""
    user = User.objects.select_for_update().get(pk=user.pk)
    profile = CitizenProfile.objects.filter(user=user).first()
    if profile is None or profile.restricted_at is not None or not user.is_active:
        raise ValidationError(_("This account cannot be closed here."), code="not_a_resident")
    if user.memberships.exists():
        raise ValidationError(_("Staff accounts are closed by the planning office."), code="staff")
    if reasons := in_progress(user):
        raise ValidationError(
            _("Before closing the account, finish or withdraw: %(reasons)s.") % {"reasons": "; ".join(reasons)},
            code="in_progress",
        )
    listing = family_assistants.Listing.objects.filter(user=user).first()
    if listing is not None and listing.state != family_assistants.Listing.State.WITHDRAWN:
        do_withdraw_listing(listing, actor=actor)  # erases its contacts, permit and certificates
    for model, treatment in ON_CLOSURE.items():
        if treatment == DELETE:
            for row in _rows(model, user):
                row.delete()
    for export in PersonalDataExport.objects.filter(user=user):
        export.file.delete(save=False)
        export.delete()
    end_delegations(accounts.Delegation.objects.filter(models.Q(granter=profile) | models.Q(delegate_user=user)),
                    actor=actor)  # fmt: skip
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = f"chiuso-{user.pk}@{NO_EMAIL_DOMAIN}"
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "is_active", "password"])
    profile.phone = profile.postal_address = ""
    profile.contact_channel = CitizenProfile.ContactChannel.LETTER
    profile.restricted_at = timezone.now()
    profile.restriction_reason = reason.strip()[:300] or _("The resident closed the account.")
    profile.save(update_fields=["phone", "postal_address", "contact_channel", "restricted_at", "restriction_reason"])
    record(actor, "account.closed", profile, on_behalf_of=user if actor.pk != user.pk else None)


def _years_before(now: dt.datetime, years: int) -> dt.datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def _anonymise_row(row: models.Model, fields: tuple[str, ...]) -> None:
    for name in fields:
        field = row._meta.get_field(name)
        assert isinstance(field, models.Field)  # PERSONAL_FIELDS names concrete fields only (a test checks)
        value: Any = getattr(row, name)
        if isinstance(field, models.FileField):
            if value:
                value.delete(save=False)
            setattr(row, name, "")
        elif isinstance(field, models.JSONField):
            setattr(row, name, type(value)() if isinstance(value, (dict, list)) else None)
        elif isinstance(field, models.DateField):
            if value is not None:
                setattr(row, name, value.replace(month=1, day=1))
        elif isinstance(field, models.EmailField) and field.unique:
            setattr(row, name, f"anonimo-{row.pk}@{NO_EMAIL_DOMAIN}")
        elif field.unique or name == "codice_fiscale":
            setattr(row, name, f"ANON{row.pk:012d}"[-16:] if isinstance(row.pk, int) else f"ANON{str(row.pk)[:12]}")
        else:
            setattr(row, name, "")
    row.save(update_fields=list(fields))


@transaction.atomic
def do_apply_retention(now: dt.datetime | None = None) -> dict[str, int]:
    """The scheduled step of retention: for every closed account, delete its contact records once their period is
    over, and anonymise the rest once the longest period of what is kept is over. Returns how many accounts each."""
    now = now or timezone.now()
    done = {"contacts_deleted": 0, "anonymised": 0}
    closed = CitizenProfile.objects.filter(restricted_at__isnull=False).select_related("user")
    for profile in closed.filter(restricted_at__lte=_years_before(now, retention_years(CONTACTS)),
                                 contacts_deleted_at__isnull=True):  # fmt: skip
        for model, treatment in ON_CLOSURE.items():
            if treatment == CONTACTS:
                for row in _rows(model, profile.user):
                    row.delete()
        profile.contacts_deleted_at = now
        profile.save(update_fields=["contacts_deleted_at"])
        record(None, "account.contacts_deleted", profile)
        done["contacts_deleted"] += 1
    longest = max(retention_years(record_class) for record_class in (CASE_FILE, ACCOUNTING, AUDIT))
    for profile in closed.filter(restricted_at__lte=_years_before(now, longest), anonymised_at__isnull=True):
        user = profile.user
        # Found first, changed after: some rows are found by the codice fiscale that anonymisation removes.
        found = {model: _rows(model, user) for model, treatment in ON_CLOSURE.items()
                 if treatment in (CASE_FILE, ACCOUNTING) and model in PERSONAL_FIELDS}  # fmt: skip
        for model, rows in found.items():
            for row in rows:
                _anonymise_row(row, PERSONAL_FIELDS[model])
        profile.refresh_from_db()
        profile.anonymised_at = now
        profile.save(update_fields=["anonymised_at"])
        record(None, "account.anonymised", profile)
        done["anonymised"] += 1
    return done
