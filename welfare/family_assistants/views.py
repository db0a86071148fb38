"""Pages of the family assistance desk: the public explanation and cost simulator; the assistant's own listing and
proposals; the family's needs; the desk's register, needs and matching; the planning office's data."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from welfare.accounts.access import chosen_place, request_user, require_places, require_role
from welfare.accounts.models import Role
from welfare.assistance.access import access_resident_for_operator
from welfare.audit.actions import record
from welfare.family_assistants import access
from welfare.family_assistants.actions import (
    candidates_for,
    do_add_experience,
    do_add_training,
    do_answer_follow_up,
    do_answer_proposal,
    do_copy_contract_year,
    do_delete_guide_entry,
    do_propose,
    do_record_need,
    do_record_outcome,
    do_remove_experience,
    do_remove_training,
    do_renew_listing,
    do_return_listing,
    do_save_contract_year,
    do_save_guide_entry,
    do_save_listing,
    do_save_requirement,
    do_submit_listing,
    do_validate_listing,
    do_withdraw_listing,
    may_renew,
    problems_of,
    requirements,
)
from welfare.family_assistants.forms import (
    ContractYearForm,
    ExperienceForm,
    FollowUpForm,
    GuideForm,
    ListingForm,
    NeedForm,
    NewYearForm,
    OutcomeForm,
    RequirementForm,
    SimulatorForm,
    TrainingForm,
    ValidateForm,
)
from welfare.family_assistants.models import (
    ContractYear,
    Experience,
    Guide,
    Listing,
    Need,
    Proposal,
    Requirement,
    Training,
)
from welfare.family_assistants.queries import supports_for
from welfare.family_assistants.rules import NoTable, simulate
from welfare.lib.feedback import run_and_tell
from welfare.lib.forms import ReasonForm
from welfare.lib.uploads import download
from welfare.territory.models import District, SocialPoint
from welfare.territory.queries import current_district


def _district() -> District:
    district = current_district()
    if district is None:
        raise Http404
    return district


def _guide() -> dict[str, list[Guide]]:
    entries: dict[str, list[Guide]] = {section: [] for section in Guide.Section.values}
    for entry in Guide.objects.all():
        entries[entry.section].append(entry)
    return entries


# Everyone


@require_safe
def info(request: HttpRequest) -> HttpResponse:
    """What the desk does, for families and for assistants; the hiring guide and the supports."""
    return render(request, "family_assistants/info.html", {
        "guide": _guide(), "requirements": Requirement.objects.all(), "english": get_language() == "en",
    })  # fmt: skip


@require_safe
def simulator(request: HttpRequest) -> HttpResponse:
    """What a domestic work contract costs the family and pays the worker, by the district's tables."""
    tables = {table.year: table for table in ContractYear.objects.all()}
    form = SimulatorForm(request.GET or None, years=list(tables))
    if not request.GET:
        form = SimulatorForm(years=list(tables), initial={"year": max(tables, default=None)})
    cost = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        try:
            cost = simulate(tables[data["year"]], data["level"], data["weekly_hours"], data["live_in"])
        except NoTable:
            form.add_error(None, _("The district has no figures for this level and year."))
    return render(request, "family_assistants/simulator.html", {
        "form": form, "cost": cost, "guide": _guide(), "english": get_language() == "en",
    }, status=400 if form.errors else 200)  # fmt: skip


# The assistant


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The assistant's own listing: everything the register holds about them, what is missing, the proposals."""
    user = request_user(request)
    listing = access.own_listing(user)
    if listing is None:
        return redirect("family_assistants:apply")
    proposals = access.proposals_for_assistant(user).select_related("need__municipality").order_by("-created_at")
    hires = Need.objects.filter(hired=listing, follow_up_asked_at__isnull=False).select_related("municipality")
    return render(request, "family_assistants/mine.html", {
        "listing": listing, "trainings": listing.trainings.all(), "experiences": listing.experiences.all(),
        "problems": problems_of(listing) if listing.state == Listing.State.DRAFT else [],
        "may_renew": may_renew(listing, timezone.localdate()), "proposals": proposals, "hires": hires,
        "follow_up_form": FollowUpForm(),
        "requirements": Requirement.objects.filter(kind__in=listing.kinds),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """Apply to the register, or correct one's data."""
    user = request_user(request)
    district = _district()
    listing = access.own_listing(user)
    current = listing if listing is not None and listing.state != Listing.State.WITHDRAWN else None
    initial: dict[str, object] = {"available_from": timezone.localdate()}
    if current is not None:
        initial = {name: getattr(current, name) for name in (
            "codice_fiscale", "permit_type", "permit_number", "permit_expires_on", "phone", "kinds", "languages",
            "italian_level", "hours_per_week", "live_in", "nights", "weekends", "available_from")}  # fmt: skip
        initial["municipalities"] = list(current.municipalities.all())
    form = ListingForm(request.POST or None, initial=initial, municipalities=list(district.municipalities.all()),
                       ask_consent=current is None)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            saved = do_save_listing(
                user,
                district,
                form.data_for_action(),
                consent=current is not None or form.cleaned_data.get("consent", False),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if current is None:
                messages.success(request, _("Saved. Now add your courses and experience, then ask for the interview."))
            elif saved.state == Listing.State.SUBMITTED and current.state == Listing.State.LISTED:
                messages.warning(
                    request,
                    _(
                        "Saved. You changed the kind of work or your identity: the desk checks "
                        "it again, and until then you are not proposed to families."
                    ),
                )
            else:
                messages.success(request, _("Saved."))
            return redirect("family_assistants:mine")
    return render(request, "family_assistants/apply.html", {"form": form, "listing": current},
                  status=400 if form.errors else 200)  # fmt: skip


def _own_listing_or_404(request: HttpRequest) -> Listing:
    listing = access.own_listing(request.user)
    if listing is None:
        raise Http404
    return listing


@login_required
@require_http_methods(["GET", "POST"])
def training_new(request: HttpRequest) -> HttpResponse:
    listing = _own_listing_or_404(request)
    form = TrainingForm(request.POST or None, request.FILES or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_add_training(
                listing,
                actor=request_user(request),
                title=data["title"],
                provider=data["provider"],
                hours=data["hours"],
                year=data["year"],
                certificate=data["certificate"] or None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The course is added."))
            return redirect("family_assistants:mine")
    return render(request, "family_assistants/training_new.html", {"form": form},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def experience_new(request: HttpRequest) -> HttpResponse:
    listing = _own_listing_or_404(request)
    form = ExperienceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_add_experience(listing, actor=request_user(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The experience is added."))
            return redirect("family_assistants:mine")
    return render(request, "family_assistants/experience_new.html", {"form": form},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_POST
def training_remove(request: HttpRequest, training_id: int) -> HttpResponse:
    listing = _own_listing_or_404(request)
    training = Training.objects.filter(listing=listing, pk=training_id).first()
    if training is None:
        raise Http404
    run_and_tell(request, lambda: do_remove_training(training, actor=request_user(request)),
                 _("The course is removed."))  # fmt: skip
    return redirect("family_assistants:mine")


@login_required
@require_POST
def experience_remove(request: HttpRequest, experience_id: int) -> HttpResponse:
    listing = _own_listing_or_404(request)
    experience = Experience.objects.filter(listing=listing, pk=experience_id).first()
    if experience is None:
        raise Http404
    run_and_tell(request, lambda: do_remove_experience(experience, actor=request_user(request)),
                 _("The experience is removed."))  # fmt: skip
    return redirect("family_assistants:mine")


LISTING_ACTIONS = {
    "invia": (
        do_submit_listing,
        _("Sent. Book an interview at a Social Point: bring your identity document and the certificates."),
    ),
    "rinnova": (do_renew_listing, _("Renewed.")),
    "ritira": (do_withdraw_listing, _("You are no longer in the register; your contacts and documents are erased.")),
}


@login_required
@require_POST
def listing_action(request: HttpRequest, action: str) -> HttpResponse:
    """Send the listing to the desk, renew it, or withdraw it: always the person's own."""
    listing = _own_listing_or_404(request)
    if action not in LISTING_ACTIONS:
        raise Http404
    change, done = LISTING_ACTIONS[action]
    run_and_tell(request, lambda: change(listing, actor=request_user(request)), str(done))
    return redirect("family_assistants:mine")


@login_required
@require_safe
def certificate(request: HttpRequest, training_id: int) -> FileResponse:
    found = access.access_certificate(request.user, training_id)
    if found.listing.user_id != request.user.pk:
        record(request_user(request), "assistant_listing.certificate_read", found.listing,
               on_behalf_of=found.listing.user)  # fmt: skip
    return download(found)


@login_required
@require_http_methods(["GET", "POST"])
def proposal(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    """A desk proposes the assistant for a family's work: they see the work, and the family's contact once they
    accept."""
    found = access.access_proposal_for_assistant(request.user, proposal_id)
    if request.method == "POST":
        accept = request.POST.get("risposta") == "accetto"
        if request.POST.get("risposta") not in ("accetto", "rifiuto"):
            messages.error(request, _("Choose whether you accept."))
        else:
            run_and_tell(request, lambda: do_answer_proposal(found, actor=request_user(request), accept=accept),
                         _("Thank you: the family has your contacts and you have theirs.") if accept else
                         _("You declined; the desk will propose someone else."))  # fmt: skip
        return redirect("family_assistants:proposal", proposal_id=found.pk)
    family = found.need.resident if found.contacts_shared_at else None
    return render(request, "family_assistants/proposal.html", {"proposal": found, "need": found.need,
                                                              "family": family})  # fmt: skip


@login_required
@require_POST
def follow_up(request: HttpRequest, need_id: uuid.UUID) -> HttpResponse:
    """The family or the hired assistant answers the three-month question."""
    user = request_user(request)
    need = access.needs_of_family(user).filter(pk=need_id).first() or Need.objects.filter(
        pk=need_id, hired__user=user).first()  # fmt: skip
    if need is None:
        raise Http404
    form = FollowUpForm(request.POST)
    if form.is_valid():
        run_and_tell(request, lambda: do_answer_follow_up(need, actor=user, answer=form.cleaned_data["answer"]),
                     _("Thank you: the desk reads your answer."))  # fmt: skip
    else:
        messages.error(request, _("Choose an answer."))
    if need.resident.user_id == user.pk:
        return redirect("family_assistants:my_need", need_id=need.pk)
    return redirect("family_assistants:mine")


# The family


@login_required
@require_safe
def my_needs(request: HttpRequest) -> HttpResponse:
    needs = access.needs_of_family(request.user).select_related("social_point", "municipality")
    return render(request, "family_assistants/my_needs.html", {"needs": needs})


@login_required
@require_safe
def my_need(request: HttpRequest, need_id: uuid.UUID) -> HttpResponse:
    """The family's need: who was proposed (names only once they accepted), the contacts shared, the follow-up."""
    need = access.access_need_for_family(request.user, need_id)
    accepted = need.proposals.filter(state=Proposal.State.ACCEPTED).select_related("listing__user")
    return render(request, "family_assistants/my_need.html", {
        "need": need, "accepted": accepted, "waiting": need.proposals.filter(state=Proposal.State.PROPOSED).count(),
        "follow_up_form": FollowUpForm(), "supports": supports_for(need),
    })  # fmt: skip


# The desk


@login_required
@require_safe
def register(request: HttpRequest) -> HttpResponse:
    """The register as the desks see it: who waits for the interview, who is listed, whose listing expired."""
    found = access.listings_for_desk(request.user).select_related("user").prefetch_related("municipalities")
    state = request.GET.get("stato", Listing.State.SUBMITTED)
    if state not in access.DESK_STATES:
        state = Listing.State.SUBMITTED
    return render(request, "family_assistants/register.html", {
        "listings": found.filter(state=state), "state": state,
        "states": [(s, Listing.State(s).label) for s in access.DESK_STATES],
        "is_operator": bool(access.operator_points(request.user)),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def listing(request: HttpRequest, listing_id: uuid.UUID) -> HttpResponse:
    """One listing at the desk: the data, the requirements check, the interview's validation or the return with
    what to change. The planning office reads; only operators validate."""
    user = request_user(request)
    found = access.access_listing_for_desk(user, listing_id)
    points = access.operator_points(user)
    form, reason_form = ValidateForm(), ReasonForm()
    if request.method == "POST":
        if not points:
            raise PermissionDenied
        if request.POST.get("azione") == "rimanda":
            reason_form = ReasonForm(request.POST)
            if reason_form.is_valid() and run_and_tell(
                request,
                lambda: do_return_listing(found, actor=user, reason=reason_form.cleaned_data["reason"]),
                _("Sent back with your note."),
            ):
                return redirect("family_assistants:register")
        else:
            form = ValidateForm(request.POST)
            if form.is_valid():
                point = chosen_place(points, request.POST.get("luogo"))
                try:
                    do_validate_listing(
                        found, actor=user, social_point=point, interviewed_on=form.cleaned_data["interviewed_on"]
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("The assistant is in the register."))
                    return redirect("family_assistants:register")
    record(user, "assistant_listing.viewed", found, on_behalf_of=found.user)
    return render(request, "family_assistants/listing.html", {
        "listing": found, "trainings": found.trainings.all(), "experiences": found.experiences.all(),
        "problems": problems_of(found), "form": form, "reason_form": reason_form, "points": points,
        "requirements": [requirements()[k] for k in found.kinds if k in requirements()],
        "may_validate": bool(points) and found.state in (Listing.State.SUBMITTED, Listing.State.EXPIRED),
    }, status=400 if form.errors or reason_form.errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def need_new(request: HttpRequest, profile_id: int) -> HttpResponse:
    """A family describes at the desk whom they need (a resident the Social Point may act for)."""
    user = request_user(request)
    points = require_places(user, Role.OPERATOR, SocialPoint)
    match = access_resident_for_operator(user, profile_id)
    district = points[0].municipality.district
    form = NeedForm(request.POST or None, municipalities=list(district.municipalities.all()),
                    initial={"municipality": match.profile.municipality_id})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            need = do_record_need(actor=user, social_point=chosen_place(points, request.POST.get("luogo")),
                                  resident=match.profile, data=form.data_for_action())  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Recorded. These are the listed assistants who fit, best first."))
            return redirect("family_assistants:need", need_id=need.pk)
    return render(request, "family_assistants/need_new.html", {"form": form, "match": match, "points": points},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_safe
def needs(request: HttpRequest) -> HttpResponse:
    found = access.needs_for_operator(request.user).select_related("resident__user", "municipality", "social_point")
    return render(request, "family_assistants/needs.html", {"needs": found[:200]})


@login_required
@require_http_methods(["GET", "POST"])
def need(request: HttpRequest, need_id: uuid.UUID) -> HttpResponse:
    """The need, the assistants who fit ranked with their reasons, the proposals and their answers, the outcome."""
    user = request_user(request)
    found = access.access_need_for_operator(user, need_id)
    if request.method == "POST":
        chosen = request.POST.getlist("assistente")
        picked = list(access.listed_for(found.municipality.district_id).filter(pk__in=[
            value for value in chosen if _is_uuid(value)]))  # fmt: skip
        if len(picked) != len(chosen):
            messages.error(request, _("Some of the assistants chosen are not in the register now."))
        else:
            run_and_tell(request, lambda: do_propose(found, actor=user, listings=picked),
                         _("Proposed: each assistant is asked and answers online."))  # fmt: skip
        return redirect("family_assistants:need", need_id=found.pk)
    proposals = list(found.proposals.select_related("listing__user"))
    proposed = {p.listing_id for p in proposals}
    candidates = []
    if found.outcome == Need.Outcome.OPEN:
        live = access.listed_for(found.municipality.district_id).select_related("user").prefetch_related(
            "trainings", "experiences", "municipalities")  # fmt: skip
        candidates = [fit for fit in candidates_for(found, list(live)) if fit.listing.pk not in proposed][:20]
    accepted = [(str(p.listing_id), str(p.listing)) for p in proposals if p.state == Proposal.State.ACCEPTED]
    record(user, "assistant_need.viewed", found, on_behalf_of=found.resident.user)
    return render(request, "family_assistants/need.html", {
        "need": found, "proposals": proposals, "candidates": candidates,
        "outcome_form": OutcomeForm(accepted=accepted), "supports": supports_for(found),
    })  # fmt: skip


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
@require_POST
def need_outcome(request: HttpRequest, need_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    found = access.access_need_for_operator(user, need_id)
    accepted = [
        (str(p.listing_id), str(p.listing))
        for p in found.proposals.filter(state=Proposal.State.ACCEPTED).select_related("listing__user")
    ]
    form = OutcomeForm(request.POST, accepted=accepted)
    if form.is_valid():
        data = form.cleaned_data
        hired = Listing.objects.filter(pk=data["hired"]).first() if data["hired"] else None
        run_and_tell(request, lambda: do_record_outcome(
            found, actor=user, hired=hired, hired_on=data["hired_on"], regular_contract=data["regular_contract"],
            not_hired_reason=data["not_hired_reason"]), _("The outcome is recorded."))  # fmt: skip
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("family_assistants:need", need_id=found.pk)


# The planning office


@login_required
@require_http_methods(["GET", "POST"])
def admin_requirements(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.DISTRICT_ADMIN)
    rows = list(Requirement.objects.all())
    forms = [RequirementForm(request.POST or None, instance=row, prefix=row.kind) for row in rows]
    if request.method == "POST" and all(form.is_valid() for form in forms):
        try:
            for form in forms:
                do_save_requirement(Requirement.objects.get(pk=form.instance.pk), actor=request_user(request),
                                    **form.cleaned_data)  # fmt: skip
        except ValidationError as error:
            forms[0].add_error(None, error)
        else:
            messages.success(request, _("The requirements are saved: they apply to the next validations."))
            return redirect("family_assistants:admin_requirements")
    return render(request, "family_assistants/admin_requirements.html", {"forms": forms},
                  status=400 if any(form.errors for form in forms) else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def admin_tables(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.DISTRICT_ADMIN)
    form = NewYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            table = do_copy_contract_year(actor=request_user(request), year=form.cleaned_data["year"])
        except ValidationError as error:
            form.add_error("year", error)
        else:
            messages.success(request, _("The tables are copied from the previous year: correct the figures."))
            return redirect("family_assistants:admin_table", year=table.year)
    return render(request, "family_assistants/admin_tables.html", {"tables": ContractYear.objects.all(),
                                                                   "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def admin_table(request: HttpRequest, year: int) -> HttpResponse:
    require_role(request.user, Role.DISTRICT_ADMIN)
    table = ContractYear.objects.filter(year=year).first()
    if table is None:
        raise Http404
    form = ContractYearForm(request.POST or None, table=table)
    if request.method == "POST" and form.is_valid():
        try:
            do_save_contract_year(table, actor=request_user(request), **form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The tables are saved: the simulator uses them at once."))
            return redirect("family_assistants:admin_tables")
    return render(request, "family_assistants/admin_table.html", {"table": table, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def admin_guide(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.DISTRICT_ADMIN)
    form = GuideForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and run_and_tell(
            request, lambda: do_save_guide_entry(None, actor=request_user(request), fields=form.cleaned_data),
            _("Added.")):  # fmt: skip
        return redirect("family_assistants:admin_guide")
    return render(request, "family_assistants/admin_guide.html", {"guide": _guide(), "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def admin_guide_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    require_role(request.user, Role.DISTRICT_ADMIN)
    entry = Guide.objects.filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    if request.method == "POST" and request.POST.get("azione") == "elimina":
        do_delete_guide_entry(entry, actor=request_user(request))
        messages.success(request, _("Deleted."))
        return redirect("family_assistants:admin_guide")
    form = GuideForm(request.POST or None, instance=Guide.objects.get(pk=entry_id))
    if request.method == "POST" and form.is_valid() and run_and_tell(
            request, lambda: do_save_guide_entry(entry, actor=request_user(request), fields=form.cleaned_data),
            _("Saved.")):  # fmt: skip
        return redirect("family_assistants:admin_guide")
    return render(request, "family_assistants/admin_guide_entry.html", {"entry": entry, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip
