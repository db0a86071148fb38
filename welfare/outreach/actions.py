"""Every change to outreach: tasks made by signals, campaigns, sentinels and heat-wave alerts; their outcomes; the
residents' call-me wishes; the rules the planning office edits. Nothing is scored by health."""

import csv
import datetime as dt
import io
import json
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from welfare.accounts.access import active_delegations
from welfare.accounts.models import CitizenProfile, Notice, User
from welfare.accounts.notices import notify_resident
from welfare.audit.actions import record
from welfare.lib.codice_fiscale import normalise_codice_fiscale, validate_codice_fiscale
from welfare.lib.encryption import decrypt, encrypt
from welfare.lib.mail import absolute_url
from welfare.lib.sms import sms_sender, sms_text
from welfare.outreach.models import (
    Assignee,
    CallMe,
    Campaign,
    CampaignEntry,
    HeatAlert,
    SignalRule,
    Situation,
    Task,
)
from welfare.outreach.signals import SITUATIONS, Case
from welfare.territory.models import Municipality, SocialPoint

Channel = CitizenProfile.ContactChannel

# The shipped rules: the planning office changes them at /area-riservata/ufficio-di-piano/segnali/.
DEFAULT_RULES = {
    Situation.PROPOSAL_UNREACHED: (Assignee.SOCIAL_POINT, 0, 0, 1,
                                   "Telefona al residente: ha una proposta di servizio da confermare.",
                                   "Call the resident: a service proposal waits for their answer."),
    Situation.ISEE_EXPIRING: (Assignee.SOCIAL_WORKER, 30, 0, 72,
                              "L'ISEE sta per scadere: ricorda alla famiglia di rinnovare la DSU.",
                              "The ISEE is about to lapse: remind the family to renew the DSU."),
    Situation.VOUCHER_RUNNING_OUT: (Assignee.FAMILY, 30, 20, 72,
                                    "Il voucher sta finendo o scade presto: guarda quanto resta e, se ti serve, "
                                    "chiedi aiuto al tuo Social Point.",
                                    "Your voucher is running out or ends soon: see what is left and, if you need "
                                    "it, ask your Social Point for help."),
    Situation.SERVICE_SILENT: (Assignee.SOCIAL_WORKER, 14, 0, 48,
                               "Il servizio è fermo o contestato: senti la famiglia e l'ente.",
                               "The service has stopped or is disputed: hear the family and the provider."),
    Situation.URGENT_ANSWER: (Assignee.SOCIAL_POINT, 7, 0, 8,
                              "Risposta urgente nel colloquio: richiama oggi.",
                              "Urgent answer in the interview: follow up today."),
    Situation.LONG_WAIT: (Assignee.PLANNING_OFFICE, 30, 0, 168,
                          "Richiesta in lista d'attesa da oltre 30 giorni in un servizio pieno.",
                          "A request has waited over 30 days in a full service."),
}  # fmt: skip


def do_install_default_rules() -> int:
    """The shipped rules, added once (an edited rule is never overwritten). Returns how many were added."""
    added = 0
    for situation, (assignee, days, percent, hours, message_it, message_en) in DEFAULT_RULES.items():
        _rule, created = SignalRule.objects.get_or_create(situation=situation, defaults={
            "assignee": assignee, "days": days, "percent": percent, "due_hours": hours, "message_it": message_it,
            "message_en": message_en,
        })  # fmt: skip
        added += created
    return added


@transaction.atomic
def do_save_rule(rule: SignalRule, *, actor: User, **fields: object) -> SignalRule:
    allowed = {"active", "days", "percent", "assignee", "due_hours", "message_it", "message_en"}
    if set(fields) - allowed:
        raise ValueError("Only a rule's thresholds, assignee, deadline and messages change.")
    if not str(fields.get("message_it", rule.message_it)).strip():
        raise ValidationError(_("Write what to do, in Italian."), code="message_required")
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.save()
    record(actor, "signal_rule.saved", rule, fields=sorted(fields))
    return rule


def social_point_for(resident: CitizenProfile | None, municipality_id: int) -> SocialPoint | None:
    """Who does a resident's outreach: the Social Point that follows them, else their municipality's, else the
    district's first one (a municipality without its own Social Point is served by the others)."""
    if resident is not None:
        following = active_delegations().filter(granter=resident, delegate_social_point__isnull=False).first()
        if following is not None:
            return following.delegate_social_point
    return (
        SocialPoint.objects.filter(municipality_id=municipality_id).order_by("pk").first()
        or SocialPoint.objects.order_by("pk").first()
    )


def _make_task(
    case: Case, *, source: str, assignee: str, reason: str, due_at: dt.datetime, rule: SignalRule | None = None,
    campaign: Campaign | None = None, details: str = "",
) -> Task | None:  # fmt: skip
    """A task for this case, unless one was already made for it (the key names the case)."""
    if Task.objects.filter(key=case.key).exists():
        return None
    point = None
    if assignee == Assignee.SOCIAL_POINT:
        point = SocialPoint.objects.filter(pk=case.social_point_id).first() if case.social_point_id else None
        point = point or social_point_for(case.resident, case.municipality_id)
    if case.due_before is not None:
        due_at = min(due_at, case.due_before)
    try:
        with transaction.atomic():
            task = Task.objects.create(
                source=source, rule=rule, campaign=campaign, key=case.key, assignee=assignee, social_point=point,
                municipality_id=case.municipality_id, resident=case.resident, reason=reason[:300], due_at=due_at,
                details_encrypted=encrypt(details) if details else "",
            )  # fmt: skip
    except IntegrityError:  # made at the same moment by another run
        return None
    record(None, "task.created", task, source=source, assignee=assignee)
    return task


CHUNK = 2000  # keys looked up at once (well under every database's limit on query parameters)


def do_evaluate_signals(now: dt.datetime | None = None) -> int:
    """Run every active rule; returns how many new tasks were made. Cases that already have their task are skipped
    with one lookup per chunk of keys, and the new tasks are written together, with one audit entry per rule."""
    now = now or timezone.now()
    made = 0
    for rule in SignalRule.objects.filter(active=True):
        cases = list(SITUATIONS[rule.situation](rule, now))
        taken: set[str] = set()
        for start in range(0, len(cases), CHUNK):
            keys = [case.key for case in cases[start : start + CHUNK]]
            taken |= set(Task.objects.filter(key__in=keys).values_list("key", flat=True))
        new = [case for case in cases if case.key not in taken]
        if not new:
            continue
        if rule.assignee == Assignee.FAMILY:
            made += _tell_families(rule, new, now)
            continue
        points = _routes(new) if rule.assignee == Assignee.SOCIAL_POINT else {}
        due = now + dt.timedelta(hours=rule.due_hours)
        created = Task.objects.bulk_create(
            [
                Task(
                    source=Task.Source.SIGNAL,
                    rule=rule,
                    key=case.key,
                    assignee=rule.assignee,
                    social_point_id=points.get(case.key),
                    municipality_id=case.municipality_id,
                    resident=case.resident,
                    reason=rule.message_it[:300],
                    due_at=min(due, case.due_before) if case.due_before else due,
                )
                for case in new
            ],
            ignore_conflicts=True,
            batch_size=CHUNK,
        )  # fmt: skip  (a key taken meanwhile by another run is skipped)
        record(None, "signals.evaluated", rule, tasks=len(created))
        made += len(created)
    return made


def _tell_families(rule: SignalRule, cases: list[Case], now: dt.datetime) -> int:
    """The resident is told by their own channel; the Social Point that follows them (if one does) gets a task too.
    For the others the task is recorded as done: the record that they were told, and that they need not be again."""
    following = dict(
        active_delegations().filter(granter__in=[c.resident for c in cases if c.resident is not None],
                                    delegate_social_point__isnull=False)
        .order_by("-pk").values_list("granter", "delegate_social_point")
    )  # fmt: skip
    link = absolute_url(reverse("accounts:home"))
    made = 0
    for case in cases:
        if case.resident is None:
            continue
        user = case.resident.user
        message = rule.message_en if user.preferred_language == "en" and rule.message_en else rule.message_it
        notify_resident(user, "outreach/email/signal", {"message": message, "link": link})
        point = following.get(case.resident.pk)
        Task.objects.create(
            source=Task.Source.SIGNAL, rule=rule, key=case.key, municipality_id=case.municipality_id,
            resident=case.resident, reason=rule.message_it[:300], due_at=now + dt.timedelta(hours=rule.due_hours),
            assignee=Assignee.SOCIAL_POINT if point else Assignee.FAMILY, social_point_id=point,
            outcome=Task.Outcome.OPEN if point else Task.Outcome.REACHED, closed_at=None if point else now,
        )  # fmt: skip
        made += 1
    record(None, "signals.evaluated", rule, tasks=made)
    return made


def _routes(cases: list[Case]) -> dict[str, int | None]:
    """`social_point_for` for many cases at once: the Social Point following each resident, else their
    municipality's, else the district's first."""
    residents = {case.resident.pk for case in cases if case.resident is not None}
    following: dict[int, int] = {}
    for granter, point in (
        active_delegations().filter(granter__in=residents, delegate_social_point__isnull=False)
        .order_by("pk").values_list("granter", "delegate_social_point")
    ):  # fmt: skip
        following.setdefault(granter, point)
    by_place: dict[int, int] = {}
    for point, place in SocialPoint.objects.order_by("-pk").values_list("pk", "municipality"):
        by_place[place] = point  # the lowest id wins, as in social_point_for
    first = SocialPoint.objects.order_by("pk").values_list("pk", flat=True).first()
    routes: dict[str, int | None] = {}
    for case in cases:
        if case.social_point_id is not None:
            routes[case.key] = case.social_point_id
        elif case.resident is not None and case.resident.pk in following:
            routes[case.key] = following[case.resident.pk]
        else:
            routes[case.key] = by_place.get(case.municipality_id, first)
    return routes


# Working a task


@transaction.atomic
def do_work_task(task: Task, *, actor: User, outcome: str, notes: str = "") -> Task:
    """Record an attempt (outcome "open": tried, to try again) or close the task with its outcome. Escalating
    makes a task for the social workers of the resident's municipality."""
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if not locked.is_open:
        raise ValidationError(_("This task is already closed."), code="invalid_transition")
    if outcome not in Task.Outcome.values:
        raise ValidationError(_("Choose an outcome."), code="outcome_required")
    if notes.strip():
        previous = decrypt(locked.notes_encrypted) if locked.notes_encrypted else ""
        stamp = timezone.localtime().strftime("%d/%m/%Y %H:%M")
        locked.notes_encrypted = encrypt(f"{previous}\n[{stamp}] {notes.strip()}".strip())
    locked.attempts += 1
    if outcome != Task.Outcome.OPEN:
        locked.outcome, locked.closed_at, locked.closed_by = outcome, timezone.now(), actor
    locked.save()
    record(actor, "task.worked", locked, outcome=outcome, attempts=locked.attempts)
    if outcome == Task.Outcome.ESCALATED and locked.assignee != Assignee.SOCIAL_WORKER:
        _make_task(Case(f"escalated:{locked.pk}", locked.resident, locked.municipality_id), source=locked.source,
                   assignee=Assignee.SOCIAL_WORKER, reason=locked.reason, due_at=timezone.now() + dt.timedelta(days=1),
                   rule=locked.rule, campaign=locked.campaign)  # fmt: skip
    return locked


def notes_of(task: Task) -> str:
    return decrypt(task.notes_encrypted) if task.notes_encrypted else ""


def details_of(task: Task) -> str:
    return decrypt(task.details_encrypted) if task.details_encrypted else ""


# Sentinels: anyone may report a person in difficulty


@dataclass(frozen=True)
class Report:
    what: str
    person: str
    where: str
    municipality: Municipality
    reporter: str


def do_report(report: Report) -> str:
    """A neighbour's, a pharmacist's or a parish's report: a task for the social workers of that municipality.
    Returns the receipt code the reporter keeps; they never see anything else."""
    if not report.what.strip() or not report.where.strip():
        raise ValidationError(_("Say what you saw and how to reach the person."), code="details_required")
    code = secrets.token_hex(4).upper()
    details = json.dumps({"what": report.what.strip(), "person": report.person.strip(), "where": report.where.strip(),
                          "reporter": report.reporter.strip()}, ensure_ascii=False)  # fmt: skip
    _make_task(Case(f"sentinel:{code}", None, report.municipality.pk), source=Task.Source.SENTINEL,
               assignee=Assignee.SOCIAL_WORKER, reason=_("A report from the community: read it and decide."),
               due_at=timezone.now() + dt.timedelta(days=2), details=details)  # fmt: skip
    return code


# Call me in an emergency


@transaction.atomic
def do_call_me(resident: CitizenProfile, *, actor: User, channel: str, phone: str, lives_alone: bool) -> CallMe:
    if channel not in CallMe.Channel.values:
        raise ValidationError(_("Choose how to be reached."), code="invalid_channel")
    if channel in (CallMe.Channel.PHONE, CallMe.Channel.SMS) and not (phone.strip() or resident.phone):
        raise ValidationError(_("Give a phone number to be called or texted."), code="phone_required")
    wish, _created = CallMe.objects.update_or_create(resident=resident, defaults={
        "channel": channel, "phone": phone.strip() or resident.phone, "lives_alone": lives_alone})  # fmt: skip
    record(actor, "call_me.saved", wish, on_behalf_of=resident.user, channel=channel)
    return wish


@transaction.atomic
def do_stop_call_me(resident: CitizenProfile, *, actor: User) -> None:
    deleted, _rows = CallMe.objects.filter(resident=resident).delete()
    if deleted:
        record(actor, "call_me.withdrawn", resident, on_behalf_of=resident.user)


# Campaigns


@dataclass
class CampaignRow:
    line: int
    codice_fiscale: str
    problems: list[str] = field(default_factory=list)
    resident: CitizenProfile | None = None


def read_campaign(text: str) -> tuple[list[CampaignRow], list[str]]:
    """Every line of a campaign's list (one codice fiscale per line, header `codice_fiscale`) with its problems."""
    lines = list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text[:200] else ","))
    if not lines or lines[0][0].strip().lower() not in ("codice_fiscale", "cf"):
        return [], [_("The first line must be the column name “codice_fiscale”.")]
    rows, seen = [], set()
    for number, cells in enumerate(lines[1:], start=2):
        if not cells or not cells[0].strip():
            continue
        row = CampaignRow(number, normalise_codice_fiscale(cells[0]))
        try:
            validate_codice_fiscale(row.codice_fiscale)
        except ValidationError:
            row.problems.append(_("The codice fiscale is not valid."))
        if row.codice_fiscale in seen:
            row.problems.append(_("This codice fiscale is already in the list."))
        seen.add(row.codice_fiscale)
        row.resident = CitizenProfile.objects.filter(codice_fiscale=row.codice_fiscale).first()
        if row.resident is None and not row.problems:
            row.problems.append(_("Nobody with this codice fiscale is registered in the district."))
        rows.append(row)
    return rows, [] if rows else [_("The list is empty.")]


def vouchers_ending_this_month(today: dt.date | None = None) -> str:
    """The families whose active voucher ends this month, as a campaign list (the portal's own data)."""
    today = today or timezone.localdate()
    end = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    from welfare.vouchers.models import Voucher

    codes = sorted(set(Voucher.objects.filter(status=Voucher.Status.ACTIVE, valid_until__gte=today,
                                              valid_until__lte=end)
                       .values_list("holder__citizen_profile__codice_fiscale", flat=True)))  # fmt: skip
    return "codice_fiscale\n" + "".join(f"{code}\n" for code in codes if code)


# Groups the planning office may choose from the portal's own data, each with its lawful purpose.
GROUPS = {"vouchers_ending": vouchers_ending_this_month}


@transaction.atomic
def do_create_campaign(*, actor: User, name: str, source: str, legal_basis: str, valid_from: dt.date,
                       expires_on: dt.date, message: str, text: str) -> Campaign:  # fmt: skip
    """A list with its source, legal basis and expiry: each person becomes a task for their Social Point. Refused
    whole while any row has a problem. A group of the portal's own data (`GROUPS`) comes in as the same list."""
    if not (name.strip() and source.strip() and legal_basis.strip() and message.strip()):
        raise ValidationError(_("Give the list a name, its source, its legal basis and what to do."),
                              code="details_required")  # fmt: skip
    if expires_on < valid_from or expires_on < timezone.localdate():
        raise ValidationError(_("The list must expire after it starts, and not in the past."), code="invalid_dates")
    rows, problems = read_campaign(text)
    if problems or any(row.problems for row in rows):
        raise ValidationError(_("The list has problems: correct them and upload it again. Nothing was saved."),
                              code="invalid_file")  # fmt: skip
    campaign = Campaign.objects.create(name=name.strip(), source=source.strip(), legal_basis=legal_basis.strip(),
                                       valid_from=valid_from, expires_on=expires_on, message_it=message.strip(),
                                       created_by=actor)  # fmt: skip
    due = timezone.make_aware(dt.datetime.combine(max(valid_from, timezone.localdate()), dt.time(18)))
    for row in rows:
        assert row.resident is not None
        CampaignEntry.objects.create(campaign=campaign, codice_fiscale=row.codice_fiscale,
                                     municipality_id=row.resident.municipality_id)  # fmt: skip
        _make_task(Case(f"campaign:{campaign.pk}:{row.codice_fiscale}", row.resident, row.resident.municipality_id),
                   source=Task.Source.CAMPAIGN, assignee=Assignee.SOCIAL_POINT, reason=campaign.message_it,
                   due_at=due + dt.timedelta(days=7), campaign=campaign)  # fmt: skip
    record(actor, "campaign.created", campaign, entries=len(rows))
    return campaign


def do_purge_expired_lists(today: dt.date | None = None) -> int:
    """Lists past their expiry are deleted with their entries and tasks (the counts stay in the audit). Returns
    how many lists were deleted."""
    today = today or timezone.localdate()
    expired = list(Campaign.objects.filter(expires_on__lt=today))
    for campaign in expired:
        with transaction.atomic():
            record(None, "campaign.purged", campaign, entries=campaign.entries.count(), tasks=campaign.tasks.count(),
                   reached=campaign.tasks.filter(outcome=Task.Outcome.REACHED).count())  # fmt: skip
            campaign.delete()
    return len(expired)


# The heat-wave switch


@transaction.atomic
def do_declare_heat_alert(*, actor: User, level: int, starts_on: dt.date, ends_on: dt.date,
                          municipalities: list[Municipality]) -> tuple[HeatAlert, int]:  # fmt: skip
    """The residents who asked to be called, and those on an active campaign list, in the municipalities hit:
    call tasks for their Social Points, oldest and living alone first (by due time). Returns the alert and how
    many tasks were made."""
    if not municipalities or ends_on < starts_on or level not in (1, 2, 3):
        raise ValidationError(_("Choose the level, the days and at least one municipality."), code="invalid_alert")
    alert = HeatAlert.objects.create(level=level, starts_on=starts_on, ends_on=ends_on, declared_by=actor)
    alert.municipalities.set(municipalities)
    opted = CitizenProfile.objects.filter(call_me__isnull=False, municipality__in=municipalities)
    listed_codes = CampaignEntry.objects.filter(campaign__valid_from__lte=ends_on, campaign__expires_on__gte=starts_on,
                                                municipality__in=municipalities).values("codice_fiscale")  # fmt: skip
    people = CitizenProfile.objects.filter(Q(pk__in=opted.values("pk")) | Q(codice_fiscale__in=listed_codes))
    ranked = sorted(people.select_related("call_me").distinct(), key=lambda p: (
        not getattr(getattr(p, "call_me", None), "lives_alone", False), p.birth_date))  # fmt: skip
    start = timezone.make_aware(dt.datetime.combine(starts_on, dt.time(9)))
    made = 0
    for position, resident in enumerate(ranked):
        task = _make_task(Case(f"heat:{alert.pk}:{resident.pk}", resident, resident.municipality_id),
                          source=Task.Source.HEAT_WAVE, assignee=Assignee.SOCIAL_POINT,
                          reason=_("Heat-wave alert level %(level)d: call to check they are well.") % {"level": level},
                          due_at=start + dt.timedelta(minutes=10 * position))  # fmt: skip
        made += task is not None
    record(actor, "heat_alert.declared", alert, level=level, tasks=made)
    return alert, made


# Notifications by the resident's channel (accounts.notices): phone calls, text messages, the daily letters


def render_notice(notice: Notice) -> tuple[str, str]:
    """The subject and text the event's email would have had, in the resident's language."""
    with translation.override(notice.language):
        subject = render_to_string(f"{notice.template}_subject.txt", notice.context).strip()
        body = render_to_string(f"{notice.template}_message.txt", notice.context)
    return subject, body


def do_dispatch_notices(now: dt.datetime | None = None) -> int:
    """Phone: a call for the resident's Social Point, with what to tell them. SMS: the text, now (an error leaves it
    for the next run). Letters wait for the Social Point's daily batch. Returns how many went out."""
    now = now or timezone.now()
    done = 0
    pending = Notice.objects.filter(sent_at__isnull=True, channel__in=[Channel.PHONE, Channel.SMS])
    for notice in pending.select_related("user__citizen_profile").order_by("pk")[:5000]:
        profile = CitizenProfile.objects.filter(user=notice.user).first()
        if profile is None:
            continue
        subject, body = render_notice(notice)
        if notice.channel == Channel.SMS and profile.phone:
            try:
                sms_sender().send(profile.phone, sms_text(subject, notice.context.get("link", "")))
            except OSError:
                continue
        else:
            _make_task(Case(f"notice:{notice.pk}", profile, profile.municipality_id), source=Task.Source.NOTICE,
                       assignee=Assignee.SOCIAL_POINT, reason=_("Call and tell them: %(news)s") % {"news": subject},
                       due_at=now + dt.timedelta(days=1), details=json.dumps({"script": body}))  # fmt: skip
        Notice.objects.filter(pk=notice.pk).update(sent_at=now)
        done += 1
    return done


@dataclass(frozen=True)
class Letter:
    notice: Notice
    profile: CitizenProfile
    subject: str
    body: str


def letters_for(point: SocialPoint) -> list[Letter]:
    """The letters waiting for this Social Point to print and post: residents it follows, or of its municipality."""
    waiting = Notice.objects.filter(sent_at__isnull=True, channel=Channel.LETTER).select_related(
        "user__citizen_profile__municipality").order_by("pk")[:1000]  # fmt: skip
    letters = []
    for notice in waiting:
        profile = CitizenProfile.objects.filter(user=notice.user).select_related("municipality").first()
        if profile is None or social_point_for(profile, profile.municipality_id) != point:
            continue
        subject, body = render_notice(notice)
        letters.append(Letter(notice, profile, subject, body))
    return letters


@transaction.atomic
def do_mark_letters_sent(point: SocialPoint, notice_ids: list[int], *, actor: User) -> int:
    """The Social Point printed and posted these letters (those of the batch it downloaded, and only its own)."""
    own = {letter.notice.pk for letter in letters_for(point)}
    chosen = [pk for pk in notice_ids if pk in own]
    Notice.objects.filter(pk__in=chosen).update(sent_at=timezone.now(), sent_by=actor)
    record(actor, "letters.sent", point, letters=len(chosen))
    return len(chosen)
