"""Every write of the family assistance desk: the assistant's listing and its validation, the family's need, the
proposals that share contacts, the hire and its follow-up, and the data the district keeps (requirements, contract
tables, hiring guide). Each runs in one transaction and leaves an audit entry."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.accounts.models import CitizenProfile, User
from welfare.accounts.notices import notify_resident
from welfare.audit.actions import record
from welfare.family_assistants.access import listed_for
from welfare.family_assistants.models import (
    CaredFor,
    CareTask,
    ContractYear,
    Experience,
    FollowUp,
    Guide,
    Kind,
    Language,
    Listing,
    Need,
    NotHiredReason,
    PayRate,
    Proposal,
    Requirement,
    Training,
)
from welfare.family_assistants.rules import REMINDER_DAYS, Fit, fits, listed_until, requirement_problems
from welfare.lib.codice_fiscale import normalise_codice_fiscale, validate_codice_fiscale
from welfare.lib.dates import add_months, written_date
from welfare.lib.mail import absolute_url
from welfare.lib.uploads import check_upload
from welfare.territory.models import District, Municipality, SocialPoint

FOLLOW_UP_MONTHS = 3
MAX_OPEN_PROPOSALS = 3


def requirements() -> dict[str, Requirement]:
    return {requirement.kind: requirement for requirement in Requirement.objects.all()}


def _tell(user: User, template: str, **context: str) -> None:
    notify_resident(user, f"family_assistants/email/{template}", context)


# The assistant's listing


@dataclass
class ListingData:
    codice_fiscale: str
    permit_type: str
    permit_number: str
    permit_expires_on: dt.date | None
    phone: str
    kinds: list[str]
    languages: list[str]
    italian_level: str
    live_in: bool
    nights: bool
    weekends: bool
    hours_per_week: int
    available_from: dt.date
    municipalities: list[Municipality]


def _check_listing(data: ListingData, district: District, today: dt.date) -> None:
    code = normalise_codice_fiscale(data.codice_fiscale)
    if code:
        validate_codice_fiscale(code)
    if data.permit_number and not data.permit_type:
        raise ValidationError(_("Say which residence permit you hold."), code="permit_type")
    if data.permit_type and not data.permit_number:
        raise ValidationError(_("Give the number of your residence permit."), code="permit_number")
    if data.permit_number and data.permit_expires_on is None:
        raise ValidationError(_("Give the date until which your residence permit is valid."), code="permit_expiry")
    if data.permit_expires_on is not None and data.permit_expires_on < today:
        raise ValidationError(_("The residence permit has expired: the register can list you once it is renewed."),
                              code="permit_expired")  # fmt: skip
    if not code and not data.permit_number:
        raise ValidationError(_("Give your codice fiscale or your residence permit."), code="identity")
    if not data.kinds or set(data.kinds) - set(Kind.values):
        raise ValidationError(_("Choose at least one kind of work."), code="kinds")
    if set(data.languages) - set(Language.values):
        raise ValidationError(_("Unknown language."), code="languages")
    if not data.municipalities:
        raise ValidationError(_("Choose at least one municipality where you can work."), code="municipalities")
    if any(municipality.district_id != district.pk for municipality in data.municipalities):
        raise ValidationError(_("The register covers only the municipalities of %(district)s.")
                              % {"district": district.name}, code="municipality")  # fmt: skip
    if not 1 <= data.hours_per_week <= 54:
        raise ValidationError(_("Hours a week go from 1 to 54."), code="hours")


@transaction.atomic
def do_save_listing(actor: User, district: District, data: ListingData, *, consent: bool) -> Listing:
    """Apply to the register, or correct one's listing. A listed person who changes the kinds of work or their
    identity goes back to the desk for a check; other changes (availability, languages, phone) apply at once."""
    today = timezone.localdate()
    listing = Listing.objects.select_for_update().filter(user=actor).first()
    if listing is None and not consent:
        raise ValidationError(_("To be listed, agree that the desks may propose you to families and share your "
                                "contacts with those you accept."), code="consent")  # fmt: skip
    _check_listing(data, district, today)
    new = listing is None
    if listing is None:
        listing = Listing(user=actor, district=district, consent_at=timezone.now(),
                          consent_notice_version=settings.PRIVACY_NOTICE_VERSION)  # fmt: skip
    recheck = listing.state == Listing.State.LISTED and (
        sorted(data.kinds) != sorted(listing.kinds)
        or normalise_codice_fiscale(data.codice_fiscale) != listing.codice_fiscale
        or data.permit_number != listing.permit_number
    )
    if listing.state == Listing.State.WITHDRAWN:
        listing.state, listing.consent_at = Listing.State.DRAFT, timezone.now()
        listing.consent_notice_version = settings.PRIVACY_NOTICE_VERSION
    listing.codice_fiscale = normalise_codice_fiscale(data.codice_fiscale)
    listing.permit_type, listing.permit_number = data.permit_type, data.permit_number.strip()
    listing.permit_expires_on = data.permit_expires_on if data.permit_number else None
    listing.phone, listing.italian_level = data.phone.strip(), data.italian_level
    listing.kinds = [kind for kind in Kind.values if kind in data.kinds]
    listing.languages = [code for code in Language.values if code in data.languages]
    listing.live_in, listing.nights, listing.weekends = data.live_in, data.nights, data.weekends
    listing.hours_per_week, listing.available_from = data.hours_per_week, data.available_from
    if recheck:
        listing.state, listing.submitted_at = Listing.State.SUBMITTED, timezone.now()
    if listing.expires_on and listing.permit_expires_on and listing.permit_expires_on < listing.expires_on:
        listing.expires_on = listing.permit_expires_on
    listing.save()
    listing.municipalities.set(data.municipalities)
    record(actor, "assistant_listing.created" if new else "assistant_listing.updated", listing,
           recheck=recheck)  # fmt: skip
    return listing


def _editable(listing: Listing) -> None:
    if listing.state == Listing.State.WITHDRAWN:
        raise ValidationError(_("This listing was withdrawn: apply again to change it."), code="withdrawn")


@transaction.atomic
def do_add_training(listing: Listing, *, actor: User, title: str, provider: str, hours: int, year: int,
                    certificate: UploadedFile[bytes] | None) -> Training:  # fmt: skip
    _editable(listing)
    if not 1 <= hours <= 2000:
        raise ValidationError(_("A course lasts from 1 to 2000 hours."), code="hours")
    if not 1950 <= year <= timezone.localdate().year:
        raise ValidationError(_("The year of the course cannot be in the future."), code="year")
    training = Training(listing=listing, title=title.strip(), provider=provider.strip(), hours=hours, year=year)
    if certificate is not None:
        checked = check_upload(certificate)
        training.name, training.content_type, training.size = (certificate.name or "")[:200], checked.content_type, \
            checked.size  # fmt: skip
        training.file.save(f"attestato.{checked.extension}", certificate, save=False)
    training.save()
    record(actor, "assistant_listing.training_added", listing, hours=hours, certificate=certificate is not None)
    return training


@transaction.atomic
def do_remove_training(training: Training, *, actor: User) -> None:
    listing = training.listing
    _editable(listing)
    if training.file:
        training.file.delete(save=False)
    training.delete()
    record(actor, "assistant_listing.training_removed", listing)


@transaction.atomic
def do_add_experience(listing: Listing, *, actor: User, kind: str, months: int, description: str,
                      reference_name: str, reference_phone: str) -> Experience:  # fmt: skip
    _editable(listing)
    if kind not in Kind.values:
        raise ValidationError(_("Choose the kind of work."), code="kind")
    if not 1 <= months <= 600:
        raise ValidationError(_("Give the months of experience (1 to 600)."), code="months")
    experience = Experience.objects.create(
        listing=listing, kind=kind, months=months, description=description.strip(),
        reference_name=reference_name.strip(), reference_phone=reference_phone.strip(),
    )  # fmt: skip
    record(actor, "assistant_listing.experience_added", listing, kind=kind, months=months)
    return experience


@transaction.atomic
def do_remove_experience(experience: Experience, *, actor: User) -> None:
    listing = experience.listing
    _editable(listing)
    experience.delete()
    record(actor, "assistant_listing.experience_removed", listing)


def problems_of(listing: Listing, today: dt.date | None = None) -> list[str]:
    return requirement_problems(listing, list(listing.trainings.all()), list(listing.experiences.all()),
                                requirements(), today or timezone.localdate())  # fmt: skip


@transaction.atomic
def do_submit_listing(listing: Listing, *, actor: User) -> Listing:
    """The person asks for the interview that validates their listing: refused, with every reason, while the
    district's requirements are not met."""
    if listing.state != Listing.State.DRAFT:
        raise ValidationError(_("This listing has already been sent to the desk."), code="state")
    problems = problems_of(listing)
    if problems:
        raise ValidationError(problems, code="requirements")
    listing.state, listing.submitted_at, listing.returned_reason = Listing.State.SUBMITTED, timezone.now(), ""
    listing.save(update_fields=["state", "submitted_at", "returned_reason", "updated_at"])
    record(actor, "assistant_listing.submitted", listing)
    return listing


@transaction.atomic
def do_validate_listing(
    listing: Listing, *, actor: User, social_point: SocialPoint, interviewed_on: dt.date
) -> Listing:
    """After the interview, the operator confirms the requirements: the listing enters the register (the desks
    see it) until its validity ends or the permit expires."""
    today = timezone.localdate()
    if listing.state not in (Listing.State.SUBMITTED, Listing.State.EXPIRED):
        raise ValidationError(_("Only a listing waiting for its interview can be validated."), code="state")
    if interviewed_on > today:
        raise ValidationError(_("The interview cannot be in the future."), code="interviewed_on")
    problems = problems_of(listing, today)
    if problems:
        raise ValidationError(problems, code="requirements")
    listing.state, listing.interviewed_on, listing.validated_by = Listing.State.LISTED, interviewed_on, actor
    listing.social_point, listing.validated_at = social_point, timezone.now()
    listing.expires_on, listing.reminder_sent_at, listing.returned_reason = listed_until(
        listing, requirements(), today), None, ""  # fmt: skip
    listing.save()
    record(actor, "assistant_listing.validated", listing, on_behalf_of=listing.user,
           expires_on=listing.expires_on.isoformat())  # fmt: skip
    _tell(listing.user, "listed", until=written_date(listing.expires_on, listing.user.preferred_language),
          link=absolute_url(reverse("family_assistants:mine")))  # fmt: skip
    return listing


@transaction.atomic
def do_return_listing(listing: Listing, *, actor: User, reason: str) -> Listing:
    """The desk sends the application back with what to change (a missing certificate, a course to finish)."""
    if listing.state not in (Listing.State.SUBMITTED, Listing.State.EXPIRED):
        raise ValidationError(_("Only a listing waiting for its interview can be sent back."), code="state")
    if not reason.strip():
        raise ValidationError(_("Say what the person should change."), code="reason")
    listing.state, listing.returned_reason = Listing.State.DRAFT, reason.strip()
    listing.save(update_fields=["state", "returned_reason", "updated_at"])
    record(actor, "assistant_listing.returned", listing, on_behalf_of=listing.user)
    _tell(listing.user, "returned", reason=listing.returned_reason,
          link=absolute_url(reverse("family_assistants:mine")))  # fmt: skip
    return listing


def may_renew(listing: Listing, today: dt.date) -> bool:
    if listing.state == Listing.State.EXPIRED:
        return True
    return listing.state == Listing.State.LISTED and listing.expires_on is not None and (
        listing.expires_on - today).days <= REMINDER_DAYS  # fmt: skip


@transaction.atomic
def do_renew_listing(listing: Listing, *, actor: User) -> Listing:
    """The yearly renewal, online: the person confirms their listing; the requirements and the permit are checked
    again, and the listing runs for another period from today."""
    today = timezone.localdate()
    if not may_renew(listing, today):
        raise ValidationError(_("A listing can be renewed in its last %(days)s days or once expired.")
                              % {"days": REMINDER_DAYS}, code="state")  # fmt: skip
    problems = problems_of(listing, today)
    if problems:
        raise ValidationError(problems, code="requirements")
    listing.state, listing.expires_on = Listing.State.LISTED, listed_until(listing, requirements(), today)
    listing.reminder_sent_at = None
    listing.save(update_fields=["state", "expires_on", "reminder_sent_at", "updated_at"])
    record(actor, "assistant_listing.renewed", listing, expires_on=listing.expires_on.isoformat())
    return listing


@transaction.atomic
def do_withdraw_listing(listing: Listing, *, actor: User) -> Listing:
    """The person leaves the register: nobody proposes them any more, and what identifies or reaches them is erased
    (permit, phone, references, certificates). What remains counts in the district's figures, without a name."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.state == Listing.State.WITHDRAWN:
        return listing
    Proposal.objects.filter(listing=listing, state=Proposal.State.PROPOSED).update(
        state=Proposal.State.WITHDRAWN, answered_at=timezone.now())  # fmt: skip
    for training in listing.trainings.all():
        if training.file:
            training.file.delete(save=False)
    listing.trainings.all().delete()
    listing.experiences.update(reference_name="", reference_phone="")
    listing.state, listing.permit_number, listing.phone, listing.codice_fiscale = Listing.State.WITHDRAWN, "", "", ""
    listing.expires_on = None
    listing.save()
    record(actor, "assistant_listing.withdrawn", listing)
    return listing


def remind_and_expire_listings(today: dt.date | None = None) -> tuple[int, int]:
    """Daily: remind those whose listing ends within REMINDER_DAYS (once), and take the ended ones out of the
    register (their open proposals are withdrawn). Returns (reminded, expired)."""
    today = today or timezone.localdate()
    reminded = expired = 0
    soon = Listing.objects.filter(
        state=Listing.State.LISTED,
        reminder_sent_at__isnull=True,
        expires_on__lte=today + dt.timedelta(days=REMINDER_DAYS),
        expires_on__gte=today,
    )
    for listing in soon.select_related("user"):
        with transaction.atomic():
            listing.reminder_sent_at = timezone.now()
            listing.save(update_fields=["reminder_sent_at"])
            record(None, "assistant_listing.reminded", listing)
            assert listing.expires_on is not None
            _tell(listing.user, "renew", until=written_date(listing.expires_on, listing.user.preferred_language),
                  link=absolute_url(reverse("family_assistants:mine")))  # fmt: skip
            reminded += 1
    for listing in Listing.objects.filter(state=Listing.State.LISTED, expires_on__lt=today).select_related("user"):
        with transaction.atomic():
            listing.state = Listing.State.EXPIRED
            listing.save(update_fields=["state", "updated_at"])
            Proposal.objects.filter(listing=listing, state=Proposal.State.PROPOSED).update(
                state=Proposal.State.WITHDRAWN, answered_at=timezone.now())  # fmt: skip
            record(None, "assistant_listing.expired", listing)
            _tell(listing.user, "expired", link=absolute_url(reverse("family_assistants:mine")))
            expired += 1
    return reminded, expired


# The family's need, the proposals, the hire


@dataclass
class NeedData:
    cared_for: str
    tasks: list[str]
    hours_per_week: int
    live_in: bool
    nights: bool
    weekends: bool
    languages: list[str]
    municipality: Municipality
    starts_on: dt.date


@transaction.atomic
def do_record_need(*, actor: User, social_point: SocialPoint, resident: CitizenProfile, data: NeedData) -> Need:
    """A family describes at the desk whom they need. The caller has checked that the Social Point may act for
    the resident (accounts.access.authority_over)."""
    if data.cared_for not in CaredFor.values:
        raise ValidationError(_("Say who needs care."), code="cared_for")
    if set(data.tasks) - set(CareTask.values) or set(data.languages) - set(Language.values):
        raise ValidationError(_("Unknown task or language."), code="choices")
    if data.municipality.district_id != social_point.municipality.district_id:
        raise ValidationError(_("The municipality is not in the district."), code="municipality")
    if not 1 <= data.hours_per_week <= 54:
        raise ValidationError(_("Hours a week go from 1 to 54."), code="hours")
    if data.starts_on < timezone.localdate():
        raise ValidationError(_("The start date is in the past."), code="starts_on")
    need = Need.objects.create(
        social_point=social_point, resident=resident, recorded_by=actor, municipality=data.municipality,
        cared_for=data.cared_for, tasks=[t for t in CareTask.values if t in data.tasks],
        hours_per_week=data.hours_per_week, live_in=data.live_in, nights=data.nights, weekends=data.weekends,
        languages=[code for code in Language.values if code in data.languages], starts_on=data.starts_on,
    )  # fmt: skip
    record(actor, "assistant_need.recorded", need, on_behalf_of=resident.user, cared_for=need.cared_for)
    return need


def candidates_for(need: Need, listings: Sequence[Listing]) -> list[Fit]:
    """The listed assistants who can do this work, best fit first, each with the reasons (rules.fits)."""
    ranked = []
    for listing in listings:
        fit = fits(need, listing, list(listing.trainings.all()), list(listing.experiences.all()),
                   {m.pk for m in listing.municipalities.all()})  # fmt: skip
        if fit is not None:
            ranked.append(fit)
    ranked.sort(key=lambda fit: (-fit.score, fit.listing.user.last_name, fit.listing.user.first_name))
    return ranked


@transaction.atomic
def do_propose(need: Need, *, actor: User, listings: Sequence[Listing]) -> list[Proposal]:
    """With the family's agreement, the desk proposes assistants for the need. Each is asked by their channel;
    nothing about the family but the work, the hours and the municipality reaches them until they accept."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.outcome != Need.Outcome.OPEN:
        raise ValidationError(_("This need is closed."), code="closed")
    if not listings:
        raise ValidationError(_("Choose at least one assistant to propose."), code="empty")
    live = set(listed_for(need.municipality.district_id).values_list("pk", flat=True))
    already = set(need.proposals.values_list("listing_id", flat=True))
    waiting = need.proposals.filter(state=Proposal.State.PROPOSED).count()
    if waiting + len(listings) > MAX_OPEN_PROPOSALS:
        raise ValidationError(_("At most %(count)s proposals can wait for an answer at once.")
                              % {"count": MAX_OPEN_PROPOSALS}, code="too_many")  # fmt: skip
    proposals = []
    for fit in candidates_for(need, listings):
        if fit.listing.pk not in live:
            raise ValidationError(_("%(name)s is not in the register now.") % {"name": fit.listing}, code="listing")
        if fit.listing.pk in already:
            raise ValidationError(_("%(name)s has already been proposed for this need.") % {"name": fit.listing},
                                  code="duplicate")  # fmt: skip
        proposal = Proposal.objects.create(need=need, listing=fit.listing, proposed_by=actor, reasons=fit.good)
        record(actor, "assistant_proposal.created", proposal, on_behalf_of=need.resident.user)
        _tell(fit.listing.user, "proposed", place=need.municipality.name,
              link=absolute_url(reverse("family_assistants:proposal", args=[proposal.pk])))  # fmt: skip
        proposals.append(proposal)
    if len(proposals) != len(listings):
        raise ValidationError(_("Some of the assistants chosen cannot do this work."), code="no_fit")
    return proposals


@transaction.atomic
def do_answer_proposal(proposal: Proposal, *, actor: User, accept: bool) -> Proposal:
    """The assistant answers. Accepting shares the contacts both ways — the family gets the assistant's name, phone
    and email, the assistant the family's — and that share is recorded."""
    locked = Proposal.objects.select_for_update(of=("self",))
    proposal = locked.select_related("need__resident__user", "listing__user").get(
        pk=proposal.pk)  # fmt: skip
    if proposal.state != Proposal.State.PROPOSED:
        raise ValidationError(_("This proposal has already been answered or withdrawn."), code="state")
    if proposal.need.outcome != Need.Outcome.OPEN or proposal.listing.state != Listing.State.LISTED:
        raise ValidationError(_("This proposal is no longer open."), code="closed")
    now = timezone.now()
    proposal.answered_at = now
    if not accept:
        proposal.state = Proposal.State.DECLINED
        proposal.save(update_fields=["state", "answered_at"])
        record(actor, "assistant_proposal.declined", proposal)
        return proposal
    proposal.state, proposal.contacts_shared_at = Proposal.State.ACCEPTED, now
    proposal.save(update_fields=["state", "answered_at", "contacts_shared_at"])
    family, assistant = proposal.need.resident.user, proposal.listing.user
    record(actor, "assistant_proposal.contacts_shared", proposal, on_behalf_of=family)
    _tell(
        family,
        "contacts_shared",
        name=assistant.get_full_name(),
        phone=proposal.listing.phone,
        email=assistant.email,
        link=absolute_url(reverse("family_assistants:my_need", args=[proposal.need_id])),
    )
    return proposal


@transaction.atomic
def do_record_outcome(need: Need, *, actor: User, hired: Listing | None, hired_on: dt.date | None,
                      regular_contract: bool, not_hired_reason: str) -> Need:  # fmt: skip
    """The desk records how it ended: hired (one of the assistants who accepted, on a date, with or without a
    regular contract) or not hired and why. A hire is followed up after three months."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.outcome != Need.Outcome.OPEN:
        raise ValidationError(_("The outcome has already been recorded."), code="closed")
    if hired is not None:
        if not need.proposals.filter(listing=hired, state=Proposal.State.ACCEPTED).exists():
            raise ValidationError(_("Only an assistant who accepted the proposal can be recorded as hired."),
                                  code="not_accepted")  # fmt: skip
        if hired_on is None or hired_on > timezone.localdate():
            raise ValidationError(_("Give the date of hiring (today or earlier)."), code="hired_on")
        need.outcome, need.hired, need.hired_on, need.regular_contract = Need.Outcome.HIRED, hired, hired_on, \
            regular_contract  # fmt: skip
        need.follow_up_due_on = add_months(hired_on, FOLLOW_UP_MONTHS)
    else:
        if not_hired_reason not in NotHiredReason.values:
            raise ValidationError(_("Say why nobody was hired."), code="reason")
        need.outcome, need.not_hired_reason = Need.Outcome.NOT_HIRED, not_hired_reason
    need.outcome_recorded_at = timezone.now()
    need.save()
    need.proposals.filter(state=Proposal.State.PROPOSED).update(state=Proposal.State.WITHDRAWN,
                                                                answered_at=timezone.now())  # fmt: skip
    record(actor, "assistant_need.outcome", need, on_behalf_of=need.resident.user, outcome=need.outcome,
           regular_contract=need.regular_contract)  # fmt: skip
    return need


def ask_follow_ups(today: dt.date | None = None) -> int:
    """Daily: three months after a hire, ask the family and the assistant how it goes, each by their channel."""
    today = today or timezone.localdate()
    due = Need.objects.filter(
        outcome=Need.Outcome.HIRED, follow_up_due_on__lte=today, follow_up_asked_at__isnull=True
    ).select_related("resident__user", "hired__user")
    asked = 0
    for need in due:
        with transaction.atomic():
            need.follow_up_asked_at = timezone.now()
            need.save(update_fields=["follow_up_asked_at"])
            record(None, "assistant_need.follow_up_asked", need)
            _tell(need.resident.user, "follow_up_family",
                  link=absolute_url(reverse("family_assistants:my_need", args=[need.pk])))  # fmt: skip
            if need.hired is not None and need.hired.state != Listing.State.WITHDRAWN:
                _tell(need.hired.user, "follow_up_assistant", link=absolute_url(reverse("family_assistants:mine")))
            asked += 1
    return asked


@transaction.atomic
def do_answer_follow_up(need: Need, *, actor: User, answer: str) -> Need:
    """The family or the hired assistant says how it goes; the desk reads it on the need."""
    if answer not in FollowUp.values:
        raise ValidationError(_("Choose an answer."), code="answer")
    if need.outcome != Need.Outcome.HIRED or need.follow_up_asked_at is None:
        raise ValidationError(_("There is no follow-up to answer yet."), code="state")
    if need.resident.user_id == actor.pk:
        need.family_follow_up = answer
    elif need.hired is not None and need.hired.user_id == actor.pk:
        need.assistant_follow_up = answer
    else:
        raise ValidationError(_("There is no follow-up to answer yet."), code="state")
    need.save(update_fields=["family_follow_up", "assistant_follow_up"])
    record(actor, "assistant_need.follow_up_answered", need, answer=answer)
    return need


# What the district keeps as data


@transaction.atomic
def do_save_requirement(requirement: Requirement, *, actor: User, min_training_hours: int,
                        min_experience_months: int, certificates_required: bool, validity_months: int,
                        documents: str) -> Requirement:  # fmt: skip
    if not 1 <= validity_months <= 36:
        raise ValidationError(_("A listing lasts from 1 to 36 months."), code="validity")
    requirement.min_training_hours, requirement.min_experience_months = min_training_hours, min_experience_months
    requirement.certificates_required, requirement.validity_months = certificates_required, validity_months
    requirement.documents = documents.strip()
    requirement.save()
    record(actor, "assistant_requirement.saved", requirement, kind=requirement.kind,
           min_training_hours=min_training_hours, min_experience_months=min_experience_months)  # fmt: skip
    return requirement


@transaction.atomic
def do_save_contract_year(table: ContractYear, *, actor: User, extra_months: Decimal, severance_divisor: Decimal,
                          source: str, rates: dict[int, Decimal],
                          bands: dict[int, tuple[Decimal | None, Decimal, Decimal]]) -> ContractYear:  # fmt: skip
    """Correct a year's tables: every figure checked before any is saved."""
    if extra_months < 0 or severance_divisor <= 0:
        raise ValidationError(_("The additional months and the severance divisor must be positive."), code="table")
    own_rates = {rate.pk: rate for rate in table.pay_rates.all()}
    own_bands = {band.pk: band for band in table.bands.all()}
    if set(rates) - set(own_rates) or set(bands) - set(own_bands):
        raise ValidationError(_("These figures belong to another year."), code="foreign")
    if any(amount <= 0 for amount in rates.values()):
        raise ValidationError(_("Every minimum pay must be more than zero."), code="rate")
    for up_to, employer, worker in bands.values():
        if employer < 0 or worker < 0 or (up_to is not None and up_to <= 0):
            raise ValidationError(_("Contributions and pay limits cannot be negative."), code="band")
    table.extra_months, table.severance_divisor, table.source = extra_months, severance_divisor, source.strip()
    table.save()
    for pk, amount in rates.items():
        own_rates[pk].amount = amount
        own_rates[pk].save(update_fields=["amount"])
    for pk, (up_to, employer, worker) in bands.items():
        band = own_bands[pk]
        band.up_to = None if band.over_24_hours else up_to
        band.employer_per_hour, band.worker_per_hour = employer, worker
        band.save()
    record(actor, "contract_year.saved", table, year=table.year)
    return table


@transaction.atomic
def do_copy_contract_year(*, actor: User, year: int) -> ContractYear:
    """Start a new year's tables from the latest one; the planning office then corrects the figures."""
    if ContractYear.objects.filter(year=year).exists():
        raise ValidationError(_("The tables for %(year)s already exist.") % {"year": year}, code="exists")
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError(_("Give a year up to next year."), code="year")
    latest = ContractYear.objects.order_by("-year").first()
    table = ContractYear.objects.create(year=year, extra_months=latest.extra_months if latest else Decimal(1),
                                        severance_divisor=latest.severance_divisor if latest else Decimal("13.5"),
                                        source="")  # fmt: skip
    if latest is not None:
        PayRate.objects.bulk_create(PayRate(table=table, level=r.level, live_in=r.live_in, amount=r.amount)
                                    for r in latest.pay_rates.all())  # fmt: skip
        from welfare.family_assistants.models import ContributionBand

        ContributionBand.objects.bulk_create(
            ContributionBand(table=table, up_to=b.up_to, over_24_hours=b.over_24_hours,
                             employer_per_hour=b.employer_per_hour, worker_per_hour=b.worker_per_hour)
            for b in latest.bands.all()
        )  # fmt: skip
    record(actor, "contract_year.created", table, year=year, copied_from=latest.year if latest else None)
    return table


@transaction.atomic
def do_save_guide_entry(entry: Guide | None, *, actor: User | None, fields: dict[str, object]) -> Guide:
    entry = entry or Guide()
    for name, value in fields.items():
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    if entry.section not in Guide.Section.values or not entry.title_it or not entry.title_en:
        raise ValidationError(_("Give the section and the title in Italian and English."), code="guide")
    new = entry.pk is None
    entry.save()
    record(actor, "hiring_guide.created" if new else "hiring_guide.updated", entry)
    return entry


@transaction.atomic
def do_delete_guide_entry(entry: Guide, *, actor: User) -> None:
    record(actor, "hiring_guide.deleted", entry, title=entry.title_it)
    entry.delete()
