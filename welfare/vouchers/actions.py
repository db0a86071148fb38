"""Every change to accreditation, programmes, applications, rankings and vouchers.

Money moves only through `welfare.ledger.actions.do_post`; these functions decide which legs to post.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.accounts.models import HouseholdMember, User
from welfare.accounts.notices import notify_resident
from welfare.audit.actions import record
from welfare.catalogue.models import Accreditation, AccreditationCall, Organization, Service, TaxonomyTerm
from welfare.ledger.actions import InsufficientFunds, Leg, do_post, do_reverse
from welfare.ledger.chart import budget_account, funding_account, provider_account, voucher_account
from welfare.ledger.models import Account, Transaction
from welfare.lib.encryption import encrypt
from welfare.lib.mail import absolute_url
from welfare.lib.money import format_euros
from welfare.lib.unique import refused_if_duplicate
from welfare.lib.uploads import store_upload
from welfare.territory.models import District, Municipality
from welfare.vouchers.models import (
    Application,
    ApplicationDocument,
    IseeBand,
    Programme,
    ProgrammeBudget,
    Ranking,
    Voucher,
)

Status = Application.Status

# Ledger accounts


def _notify(user: User, template: str, context: dict[str, str]) -> None:
    context = {**context, "link": absolute_url(context["link"])}
    notify_resident(user, f"vouchers/email/{template}", context)


# Accreditation


@transaction.atomic
def do_save_accreditation_call(
    *, actor: User | None, district: District, fields: dict[str, Any], kinds: Iterable[TaxonomyTerm],
    call: AccreditationCall | None = None,
) -> AccreditationCall:  # fmt: skip
    kinds = list(kinds)
    if not kinds:
        raise ValidationError(_("Choose at least one kind of service."), code="kinds_required")
    call = call or AccreditationCall(district=district)
    for name, value in fields.items():
        setattr(call, name, value)
    call.full_clean(exclude=["district"])
    call.save()
    call.kinds.set(kinds)
    record(actor, "accreditation_call.saved", call)
    return call


@transaction.atomic
def do_apply_for_accreditation(
    *, actor: User | None, call: AccreditationCall, organization: Organization, kind: TaxonomyTerm,
    services: Sequence[Service], hourly_tariff_cents: int,
) -> Accreditation:  # fmt: skip
    """A provider applies (or applies again after being returned) for one kind of service at a tariff."""
    if not call.is_open():
        raise ValidationError(_("This call is not open for applications."), code="call_closed")
    if not call.kinds.filter(pk=kind.pk).exists():
        raise ValidationError(_("This call is not for this kind of service."), code="kind_not_in_call")
    if not services:
        raise ValidationError(_("Choose the services you offer for this kind."), code="services_required")
    if any(service.organization_id != organization.pk for service in services):
        raise ValidationError(_("You can only list your own organisation's services."), code="not_own_service")
    if hourly_tariff_cents <= 0:
        raise ValidationError(_("The hourly tariff must be more than zero."), code="tariff_required")
    accreditation = (
        Accreditation.objects.select_for_update().filter(call=call, organization=organization, kind=kind).first()
    )
    already = ValidationError(_("You have already applied for this kind of service."), code="already_applied")
    if accreditation is not None and accreditation.status != Accreditation.Status.RETURNED:
        raise already
    accreditation = accreditation or Accreditation(call=call, organization=organization, kind=kind)
    accreditation.hourly_tariff_cents = hourly_tariff_cents
    accreditation.status = Accreditation.Status.SUBMITTED
    accreditation.submitted_by = actor
    accreditation.returned_reason = ""
    with refused_if_duplicate(already):
        accreditation.save()
    accreditation.services.set(services)
    record(actor, "accreditation.submitted", accreditation, tariff_cents=hourly_tariff_cents)
    return accreditation


@transaction.atomic
def do_approve_accreditation(
    accreditation: Accreditation, *, actor: User, valid_from: dt.date, valid_until: dt.date
) -> Accreditation:
    locked = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
    if locked.status != Accreditation.Status.SUBMITTED:
        raise ValidationError(_("Only an application waiting for review can be approved."), code="invalid_transition")
    if valid_until < valid_from:
        raise ValidationError(_("The end of validity cannot come before its start."), code="dates_order")
    locked.status = Accreditation.Status.APPROVED
    locked.valid_from, locked.valid_until = valid_from, valid_until
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save()
    record(actor, "accreditation.approved", locked, valid_from=str(valid_from), valid_until=str(valid_until))
    return locked


@transaction.atomic
def do_return_accreditation(accreditation: Accreditation, *, actor: User, reason: str) -> Accreditation:
    locked = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
    if locked.status != Accreditation.Status.SUBMITTED:
        raise ValidationError(_("Only an application waiting for review can be returned."), code="invalid_transition")
    if not reason.strip():
        raise ValidationError(_("Tell the provider what to change."), code="reason_required")
    locked.status = Accreditation.Status.RETURNED
    locked.returned_reason = reason.strip()
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save()
    record(actor, "accreditation.returned", locked)
    return locked


# Programmes and budgets


@dataclass(frozen=True)
class BandSpec:
    isee_up_to_cents: int | None
    copay_percent: int
    max_voucher_cents: int


def _check_bands(bands: Sequence[BandSpec]) -> None:
    if not bands:
        raise ValidationError(_("Add at least one ISEE band."), code="bands_required")
    limits = [band.isee_up_to_cents for band in bands]
    if limits.count(None) > 1 or len(set(limits)) != len(limits):
        raise ValidationError(_("Each ISEE band needs a different upper limit."), code="bands_overlap")
    for band in bands:
        if not 0 <= band.copay_percent <= 100:
            raise ValidationError(_("A co-payment is between 0 and 100%."), code="copay_range")
        if band.max_voucher_cents <= 0:
            raise ValidationError(_("A voucher value must be more than zero."), code="value_required")


@transaction.atomic
def do_save_programme(
    *, actor: User | None, district: District, fields: dict[str, Any], kinds: Iterable[TaxonomyTerm],
    bands: Sequence[BandSpec], programme: Programme | None = None,
) -> Programme:  # fmt: skip
    """Create or change a programme while it is a draft; once published its rules are fixed for fairness."""
    if programme is not None and programme.is_published:
        raise ValidationError(_("A published programme cannot be changed."), code="published")
    kinds = list(kinds)
    if not kinds:
        raise ValidationError(_("Choose at least one kind of service."), code="kinds_required")
    _check_bands(bands)
    programme = programme or Programme(district=district)
    for name, value in fields.items():
        setattr(programme, name, value)
    programme.full_clean(exclude=["district"])
    programme.save()
    programme.kinds.set(kinds)
    programme.bands.all().delete()
    IseeBand.objects.bulk_create(
        IseeBand(programme=programme, isee_up_to_cents=band.isee_up_to_cents, copay_percent=band.copay_percent,
                 max_voucher_cents=band.max_voucher_cents)
        for band in bands
    )  # fmt: skip
    record(actor, "programme.saved", programme)
    return programme


@transaction.atomic
def do_publish_programme(programme: Programme, *, actor: User | None) -> Programme:
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    if locked.is_published:
        raise ValidationError(_("The programme is already published."), code="invalid_transition")
    if not locked.budgets.filter(allocated_cents__gt=0).exists():
        raise ValidationError(_("Give at least one municipality a budget first."), code="budget_required")
    locked.status, locked.published_at = Programme.Status.PUBLISHED, timezone.now()
    locked.save(update_fields=["status", "published_at"])
    record(actor, "programme.published", locked)
    programme.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def do_set_budgets(
    programme: Programme, amounts: Iterable[tuple[Municipality, int]], *, actor: User | None
) -> list[ProgrammeBudget]:
    """Set several municipalities' budgets together: all of them, or none when one is refused."""
    return [
        do_set_budget(programme, municipality, allocated_cents=cents, actor=actor) for municipality, cents in amounts
    ]


@transaction.atomic
def do_set_budget(
    programme: Programme, municipality: Municipality, *, allocated_cents: int, actor: User | None
) -> ProgrammeBudget:
    """Set a municipality's budget. Raising it serves the waiting list; lowering it cannot take back
    money already committed to vouchers."""
    if allocated_cents < 0:
        raise ValidationError(_("A budget cannot be negative."), code="negative")
    budget, _created = ProgrammeBudget.objects.get_or_create(programme=programme, municipality=municipality)
    budget = ProgrammeBudget.objects.select_for_update().get(pk=budget.pk)
    difference = allocated_cents - budget.allocated_cents
    if difference == 0:
        return budget
    funding, account = funding_account(programme), budget_account(programme, municipality)
    try:
        if difference > 0:
            do_post(Transaction.Kind.FUND, [Leg(funding, -difference), Leg(account, difference)], actor=actor,
                    memo=f"{programme.slug} {municipality.istat_code}")  # fmt: skip
        else:
            do_post(Transaction.Kind.DEFUND, [Leg(account, difference), Leg(funding, -difference)], actor=actor,
                    memo=f"{programme.slug} {municipality.istat_code}")  # fmt: skip
    except InsufficientFunds as error:
        account.refresh_from_db()
        raise ValidationError(
            _("The budget can be lowered by at most %(available)s: the rest is already in vouchers."),
            code="committed",
            params={"available": format_euros(account.balance_cents)},
        ) from error
    budget.allocated_cents = allocated_cents
    budget.save(update_fields=["allocated_cents"])
    record(actor, "programme_budget.set", budget, allocated_cents=allocated_cents, difference_cents=difference)
    if difference > 0:
        do_issue_vouchers(programme, municipality, actor=actor, only_if_published=True)
    return budget


def band_for(programme: Programme, isee_cents: int) -> IseeBand | None:
    """The band an ISEE falls in: the first whose upper limit (inclusive) is at or above it."""
    for band in programme.bands.all():
        if band.isee_up_to_cents is None or isee_cents <= band.isee_up_to_cents:
            return band
    return None


# Applications


def _household_check(citizen: User, beneficiary: HouseholdMember | None) -> None:
    if beneficiary is not None and beneficiary.owner.user_id != citizen.pk:
        raise ValidationError(_("This person is not in your household."), code="not_household")


LIVE = [Status.DRAFT, Status.SUBMITTED, Status.INFO_REQUESTED, Status.APPROVED]


@transaction.atomic
def do_save_application(
    *, actor: User, programme: Programme, beneficiary: HouseholdMember | None, fields: dict[str, Any],
    application: Application | None = None, on_behalf_of: User | None = None, send: bool = False,
) -> Application:  # fmt: skip
    """Keep a draft (new or changed), and `send` it at once if asked: both or neither. Nothing is checked for
    completeness until it is sent."""
    citizen = on_behalf_of or actor
    profile = citizen.citizen_profile
    if application is None:
        if not programme.is_open_for_applications():
            raise ValidationError(_("Applications for this programme are not open."), code="closed")
        _household_check(citizen, beneficiary)
        User.objects.select_for_update().filter(pk=citizen.pk).first()  # one application at a time per family
        if Application.objects.filter(
            programme=programme, applicant=citizen, beneficiary_member=beneficiary, status__in=LIVE
        ).exists():
            raise ValidationError(
                _("There is already an application for this person in this programme."), code="duplicate"
            )
        application = Application(programme=programme, applicant=citizen, beneficiary_member=beneficiary)
    else:
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not application.is_editable:
            raise ValidationError(_("This application has been sent and can no longer be changed."), code="locked")
    application.municipality_id = profile.municipality_id
    for name, value in fields.items():
        setattr(application, name, value)
    application.full_clean(exclude=["programme", "applicant", "municipality", "beneficiary_member"])
    application.save()
    record(actor, "voucher_application.saved", application, on_behalf_of=on_behalf_of)
    if send:
        do_submit_application(application, actor=actor, on_behalf_of=on_behalf_of)
    return application


@transaction.atomic
def do_add_application_document(
    application: Application, *, uploaded_by: User, upload: UploadedFile[bytes], label: str,
    on_behalf_of: User | None = None,
) -> ApplicationDocument:  # fmt: skip
    if not application.is_editable:
        raise ValidationError(_("This application has been sent and can no longer be changed."), code="locked")
    document = ApplicationDocument(application=application, uploaded_by=uploaded_by)
    store_upload(document, upload, label.strip() or Path(upload.name or "documento").name)
    record(uploaded_by, "voucher_application.document_added", application, on_behalf_of=on_behalf_of,
           content_type=document.content_type)  # fmt: skip
    return document


def missing_for_submission(application: Application) -> list[str]:
    """What is still needed before the application can be sent, in words the family understands."""
    missing = []
    if application.isee_cents is None:
        missing.append(_("the ISEE value"))
    if not application.dsu_protocol:
        missing.append(_("the DSU protocol number"))
    if application.dsu_expires_on is None:
        missing.append(_("the date the ISEE is valid until"))
    elif application.dsu_expires_on < timezone.localdate():
        missing.append(_("an ISEE that has not expired"))
    attached = {document.name for document in application.documents.all()}
    missing += [
        _("the document “%(name)s”") % {"name": name}
        for name in application.programme.required_documents
        if name not in attached
    ]
    return missing


@transaction.atomic
def do_submit_application(application: Application, *, actor: User, on_behalf_of: User | None = None) -> Application:
    locked = Application.objects.select_for_update().select_related("programme").get(pk=application.pk)
    if not locked.is_editable:
        raise ValidationError(_("This application has already been sent."), code="invalid_transition")
    if locked.status == Status.DRAFT and not locked.programme.is_open_for_applications():
        raise ValidationError(_("Applications for this programme are closed."), code="closed")
    missing = missing_for_submission(locked)
    if missing:
        raise ValidationError(
            _("Before sending, add: %(missing)s."), code="incomplete", params={"missing": "; ".join(missing)}
        )
    assert locked.isee_cents is not None
    if band_for(locked.programme, locked.isee_cents) is None:
        raise ValidationError(
            _("The ISEE is above the programme's limit: it cannot help. A Social Point can suggest other help."),
            code="isee_above_limit",
        )
    previous = locked.status
    locked.status = Status.SUBMITTED
    locked.submitted_at = locked.submitted_at or timezone.now()  # the ranking counts the first sending
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    record(actor, "voucher_application.submitted", locked, on_behalf_of=on_behalf_of, previous=previous)
    application.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def do_withdraw_application(application: Application, *, actor: User, on_behalf_of: User | None = None) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in (Status.DRAFT, Status.SUBMITTED, Status.INFO_REQUESTED, Status.APPROVED) or (
        locked.outcome == Application.Outcome.FUNDED
    ):
        raise ValidationError(_("This application can no longer be withdrawn."), code="invalid_transition")
    locked.status = Status.WITHDRAWN
    locked.outcome = ""
    locked.save(update_fields=["status", "outcome", "updated_at"])
    record(actor, "voucher_application.withdrawn", locked, on_behalf_of=on_behalf_of)
    application.__dict__.update(locked.__dict__)
    return locked


class Decision:
    APPROVE = "approve"
    REJECT = "reject"
    ASK_INFO = "ask_info"


@transaction.atomic
def do_assess_application(
    application: Application, *, actor: User, decision: str, need_score: int | None, notes: str, reason: str
) -> Application:
    """The municipality's social worker decides. The caller has checked the worker's municipality."""
    locked = Application.objects.select_for_update().select_related("programme", "applicant").get(pk=application.pk)
    if locked.status != Status.SUBMITTED:
        raise ValidationError(_("Only a sent application waiting for assessment can be assessed."),
                              code="invalid_transition")  # fmt: skip
    if (
        locked.programme.window_closed()
        and Ranking.objects.filter(
            programme=locked.programme, municipality=locked.municipality, published_at__isnull=False
        ).exists()
    ):
        raise ValidationError(_("The ranking is already published."), code="ranking_published")
    if decision == Decision.APPROVE:
        if need_score is None or not 0 <= need_score <= 100:
            raise ValidationError(_("Give a need score from 0 to 100."), code="score_required")
        assert locked.isee_cents is not None
        band = band_for(locked.programme, locked.isee_cents)
        if band is None:
            raise ValidationError(_("The ISEE is above the programme's limit."), code="isee_above_limit")
        locked.status, locked.need_score = Status.APPROVED, need_score
        locked.copay_percent, locked.voucher_value_cents = band.copay_percent, band.max_voucher_cents
    elif decision in (Decision.REJECT, Decision.ASK_INFO):
        if not reason.strip():
            raise ValidationError(_("Write the reason: the family will read it."), code="reason_required")
        locked.status = Status.REJECTED if decision == Decision.REJECT else Status.INFO_REQUESTED
    else:
        raise ValidationError(_("Choose a decision."), code="decision_required")
    locked.decision_reason = reason.strip()
    locked.assessment_notes_encrypted = encrypt(notes.strip())
    locked.assessed_by, locked.assessed_at = actor, timezone.now()
    locked.save()
    record(actor, f"voucher_application.{locked.status}", locked, need_score=locked.need_score)
    _notify(locked.applicant, "application_update", {
        "programme": locked.programme.name, "protocol": locked.protocol, "status": locked.status,
        "link": reverse("vouchers:application", args=[locked.pk]),
    })  # fmt: skip
    application.__dict__.update(locked.__dict__)
    return locked


# Ranking and issuance


def _write_positions(order: list[Application]) -> None:
    """Positions 1, 2, 3… in `order`: one statement sent with every family's values (executemany).

    A region-sized programme ranks tens of thousands of families: one ORM update each took 14 s on
    PostgreSQL, and Django's bulk_update, which builds a CASE per row in Python, was slower still."""
    meta = Application._meta
    table, rank_column, outcome_column, key_column = (
        connection.ops.quote_name(str(name))
        for name in (meta.db_table, meta.get_field("rank_position").column, meta.get_field("outcome").column,
                     meta.pk.column)
    )  # fmt: skip
    sql = f"UPDATE {table} SET {rank_column} = %s, {outcome_column} = %s WHERE {key_column} = %s"  # noqa: S608
    rows = [(position, "", meta.pk.get_db_prep_value(application.pk, connection))
            for position, application in enumerate(order, start=1)]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def ranked(applications: Iterable[Application]) -> list[Application]:
    """Graduatoria order: ISEE ascending, then need score descending, then who applied first.

    The protocol breaks a tie to the microsecond, so the order never depends on the database.
    """
    return sorted(
        applications,
        key=lambda a: (a.isee_cents, -(a.need_score or 0), a.submitted_at or timezone.now(), a.protocol),
    )


@transaction.atomic
def do_compute_ranking(programme: Programme, municipality: Municipality, *, actor: User) -> Ranking:
    """Rank the admissible applications of one municipality. It can be recomputed until it is published."""
    if not programme.is_published or not programme.window_closed():
        raise ValidationError(_("The ranking can be computed once the application window has closed."),
                              code="window_open")  # fmt: skip
    existing = Ranking.objects.select_for_update().filter(programme=programme, municipality=municipality).first()
    if existing is not None and existing.published_at is not None:
        raise ValidationError(_("The ranking is already published."), code="ranking_published")
    applications = Application.objects.select_for_update().filter(programme=programme, municipality=municipality)
    waiting = applications.filter(status=Status.SUBMITTED).count()
    if waiting:
        raise ValidationError(
            _("%(count)s applications still wait for the social worker's assessment."),
            code="assessment_pending",
            params={"count": waiting},
        )
    applications.exclude(status=Status.APPROVED).update(rank_position=None, outcome="")
    order = ranked(applications.filter(status=Status.APPROVED))
    _write_positions(order)
    ranking, _created = Ranking.objects.update_or_create(
        programme=programme, municipality=municipality,
        defaults={"computed_at": timezone.now(), "computed_by": actor},
    )  # fmt: skip
    record(actor, "ranking.computed", ranking, applications=len(order))
    return ranking


@transaction.atomic
def do_publish_ranking(programme: Programme, municipality: Municipality, *, actor: User) -> Ranking:
    ranking = Ranking.objects.select_for_update().filter(programme=programme, municipality=municipality).first()
    if ranking is None:
        raise ValidationError(_("Compute the ranking first."), code="not_computed")
    if ranking.published_at is not None:
        raise ValidationError(_("The ranking is already published."), code="ranking_published")
    ranking.published_at = timezone.now()
    ranking.save(update_fields=["published_at"])
    record(actor, "ranking.published", ranking)
    for application in programme.applications.filter(municipality=municipality, rank_position__isnull=False):
        _notify(application.applicant, "ranking_published", {
            "programme": programme.name, "protocol": application.protocol,
            "link": reverse("vouchers:application", args=[application.pk]),
        })  # fmt: skip
    return ranking


@transaction.atomic
def do_issue_vouchers(
    programme: Programme, municipality: Municipality, *, actor: User | None, only_if_published: bool = False
) -> list[Voucher]:
    """Issue vouchers in ranking order while the municipality's budget lasts; the rest wait.

    Strictly in order: when the next family's voucher does not fit, nobody after them is served
    (a smaller voucher further down must not overtake them). The same call serves the waiting list
    whenever budget is freed. The ranking row is locked, so two issuances cannot interleave.
    """
    ranking = Ranking.objects.select_for_update().filter(programme=programme, municipality=municipality).first()
    if ranking is None or ranking.published_at is None:
        if only_if_published:
            return []
        raise ValidationError(_("Publish the ranking before issuing vouchers."), code="not_published")
    if timezone.localdate() > programme.vouchers_valid_until:
        return []
    account = budget_account(programme, municipality)
    issued: list[Voucher] = []
    queue = (
        programme.applications.filter(
            municipality=municipality, status=Status.APPROVED, rank_position__isnull=False, voucher__isnull=True
        )
        .select_related("applicant")
        .order_by("rank_position")
    )
    for position, application in enumerate(queue):
        try:
            issued.append(_issue_voucher(programme, application, account, actor=actor))
        except InsufficientFunds:
            waiting = [a.pk for a in queue[position:]]
            Application.objects.filter(pk__in=waiting).update(outcome=Application.Outcome.WAITING)
            break
    record(actor, "ranking.vouchers_issued", ranking, issued=len(issued))
    return issued


def _issue_voucher(programme: Programme, application: Application, budget: Account, *, actor: User | None) -> Voucher:
    assert application.voucher_value_cents is not None
    assert application.copay_percent is not None
    with transaction.atomic():  # a savepoint: when the budget is short, the voucher is not created either
        voucher = Voucher.objects.create(
            programme=programme, application=application, holder=application.applicant,
            beneficiary_member=application.beneficiary_member, municipality_id=application.municipality_id,
            value_cents=application.voucher_value_cents, copay_percent=application.copay_percent,
            valid_from=programme.vouchers_valid_from, valid_until=programme.vouchers_valid_until,
        )  # fmt: skip
        value, account = voucher.value_cents, voucher_account(voucher, voucher.programme)
        do_post(Transaction.Kind.ISSUE, [Leg(budget, -value), Leg(account, value)], actor=actor,
                memo=voucher.verification_code)  # fmt: skip
    Application.objects.filter(pk=application.pk).update(outcome=Application.Outcome.FUNDED)
    record(actor, "voucher.issued", voucher, value_cents=voucher.value_cents)
    _notify(application.applicant, "voucher_issued", {
        "programme": programme.name, "link": reverse("vouchers:voucher", args=[voucher.pk]),
    })  # fmt: skip
    return voucher


def _end_voucher(voucher: Voucher, status: str, *, actor: User | None, reason: str) -> Voucher:
    """Close a voucher and give what is left of it back to its municipality's budget, then serve the waiting list."""
    locked = Voucher.objects.select_for_update().select_related("programme", "municipality").get(pk=voucher.pk)
    if locked.status != Voucher.Status.ACTIVE:
        raise ValidationError(_("This voucher is no longer active."), code="invalid_transition")
    locked.status, locked.ended_at, locked.ended_reason = status, timezone.now(), reason
    locked.save(update_fields=["status", "ended_at", "ended_reason"])
    account = Account.objects.select_for_update().get(voucher=locked)
    if account.balance_cents:
        budget = budget_account(locked.programme, locked.municipality)
        do_post(Transaction.Kind.RELEASE, [Leg(account, -account.balance_cents), Leg(budget, account.balance_cents)],
                actor=actor, memo=locked.verification_code)  # fmt: skip
    record(actor, f"voucher.{status}", locked, released_cents=account.balance_cents)
    do_issue_vouchers(locked.programme, locked.municipality, actor=actor, only_if_published=True)
    voucher.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def do_cancel_voucher(voucher: Voucher, *, actor: User, reason: str) -> Voucher:
    if not reason.strip():
        raise ValidationError(_("Say why the voucher is cancelled."), code="reason_required")
    return _end_voucher(voucher, Voucher.Status.CANCELLED, actor=actor, reason=reason.strip())


def do_expire_vouchers(today: dt.date | None = None) -> int:
    """Vouchers past their validity expire; what is left goes back to the budget. Returns how many."""
    today = today or timezone.localdate()
    expired = 0
    for voucher in Voucher.objects.filter(status=Voucher.Status.ACTIVE, valid_until__lt=today):
        with transaction.atomic():
            try:
                _end_voucher(voucher, Voucher.Status.EXPIRED, actor=None, reason="")
            except ValidationError:
                continue  # ended in the meantime
            expired += 1
    return expired


@transaction.atomic
def do_reverse_payment(
    payment: Transaction, voucher: Voucher | None, *, actor: User | None, reason: str,
    redirect: Mapping[int, Account] | None = None,
) -> Transaction:  # fmt: skip
    """Reverse a payment (storno), e.g. of a session withdrawn or corrected.

    What goes back to a voucher that has ended since (cancelled, expired) goes to its municipality's budget,
    where the voucher's remainder went, and the waiting list is served with it. The voucher's row is locked
    first, so it cannot end between the check and the reversal. `redirect` sends other accounts' refunds elsewhere
    (an employer credit closed since: back to the employer).
    """
    redirect = dict(redirect or {})
    if voucher is None:
        return do_reverse(payment, actor=actor, reason=reason, redirect=redirect)
    locked = Voucher.objects.select_for_update().select_related("programme", "municipality").get(pk=voucher.pk)
    if locked.status == Voucher.Status.ACTIVE:
        return do_reverse(payment, actor=actor, reason=reason, redirect=redirect)
    budget = budget_account(locked.programme, locked.municipality)
    redirect[voucher_account(locked, locked.programme).pk] = budget
    reversal = do_reverse(payment, actor=actor, reason=reason, redirect=redirect)
    record(actor, "voucher.refund_to_budget", locked, transaction=reversal.pk)
    do_issue_vouchers(locked.programme, locked.municipality, actor=actor, only_if_published=True)
    return reversal


@transaction.atomic
def do_spend_voucher(
    voucher: Voucher, organization: Organization, amount_cents: int, *, actor: User | None, memo: str = ""
) -> Transaction:
    """Pay a provider from a voucher. Safe when many payments hit one voucher at once: the ledger's
    conditional update refuses the one that would overdraw it."""
    if voucher.status != Voucher.Status.ACTIVE:
        raise ValidationError(_("This voucher is no longer active."), code="voucher_inactive")
    source = Account.objects.get(voucher=voucher)
    legs = [Leg(source, -amount_cents), Leg(provider_account(organization), amount_cents)]
    return do_post(Transaction.Kind.SPEND, legs, actor=actor, memo=memo)
