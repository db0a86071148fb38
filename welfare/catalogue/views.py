import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from welfare.accounts.access import chosen_place, request_user
from welfare.catalogue import access
from welfare.catalogue.actions import (
    Availability,
    Cost,
    do_publish_service,
    do_retire_term,
    do_return_service,
    do_save_service,
    do_save_term,
    do_submit_service,
)
from welfare.catalogue.forms import RetireTermForm, ReturnForm, SearchForm, ServiceForm, TermForm
from welfare.catalogue.models import SERVICE_KINDS, TARGET_GROUPS, Organization, Service, Taxonomy, TaxonomyTerm
from welfare.catalogue.queries import (
    Filters,
    cached_facets,
    catalogue_version,
    matching_services,
    place_named_in,
    review_summary,
)
from welfare.lib.page_cache import public_page
from welfare.territory.queries import pages_matching

PAGE_SIZE = 10


@require_safe
@public_page(catalogue_version)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    form.is_valid()  # invalid filters are dropped and explained on their field
    filters = Filters(**{name: str(value) for name, value in form.cleaned_data.items() if value})
    place = place_named_in(filters.q, form.comune_choices()) if filters.q and not filters.comune else None
    if place is not None:  # "assistenza anziani Vedano Olona" is "assistenza anziani", in Vedano Olona
        query = request.GET.copy()
        query.pop("pagina", None)
        query["q"], query["comune"], query["dal_testo"] = place.rest, place.istat_code, "1"
        return redirect(f"{reverse('catalogue:search')}?{query.urlencode()}")
    paginator = Paginator(matching_services(filters), PAGE_SIZE)
    # A page number that is not one ("abc", "", "1e9", "NaN") shows the first page; one beyond the end, the last.
    page = paginator.get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "catalogue/search.html",
        {
            "form": form,
            "page": page,
            "facets": cached_facets(filters),
            "filters": filters,
            "place_name": dict(form.comune_choices()).get(filters.comune, "") if filters.comune else "",
            "place_from_text": request.GET.get("dal_testo") == "1",
            "active_filters": len([name for name in filters.active() if name != "q"]),
            "querystring": query.urlencode(),
            "guides": pages_matching(filters.q) if filters.q and page.number == 1 else [],
        },
    )


@require_safe
@public_page(catalogue_version)
def service_detail(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = access.access_published_service(service_id)
    return render(request, "catalogue/service_detail.html", {"service": service, **_service_context(service)})


@require_safe
@public_page(catalogue_version)
def organization_detail(request: HttpRequest, organization_id: uuid.UUID) -> HttpResponse:
    organization = access.access_public_organization(organization_id)
    services = (
        access.published_services()
        .filter(organization=organization)
        .select_related("organization")
        .prefetch_related("kinds", "cost_options", "areas_served")
    )
    return render(request, "catalogue/organization_detail.html", {"organization": organization, "services": services})


def _service_context(service: Service) -> dict[str, object]:
    return {
        "places": service.service_at_locations.select_related("location__municipality").prefetch_related("schedules"),
        "costs": service.cost_options.all(),
        "areas": service.areas_served.order_by("name"),
        "accreditations": access.accreditations_of_service(service),
        "reviews": review_summary(service),
    }


# Provider staff: their organisation's services, in every state.


@login_required
@require_safe
def staff_services(request: HttpRequest) -> HttpResponse:
    services = access.services_for_staff(request.user).select_related("organization").order_by("status", "name")
    organizations = access.organizations_for_staff(request.user)
    return render(request, "catalogue/staff/service_list.html", {"services": services, "organizations": organizations})


@login_required
@require_http_methods(["GET", "POST"])
def staff_service_new(request: HttpRequest) -> HttpResponse:
    organizations = access.organizations_for_staff(request.user)
    organization = _chosen_organization(request, organizations)
    return _edit(request, organization, Service(organization=organization))


@login_required
@require_http_methods(["GET", "POST"])
def staff_service_edit(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = access.access_service_for_staff(request.user, service_id)
    return _edit(request, service.organization, service)


def _chosen_organization(request: HttpRequest, organizations: list[Organization]) -> Organization:
    """The organisation a new service is for: named in the address (?ente=) by staff of several."""
    return chosen_place(organizations, request.GET.get("ente") or request.POST.get("ente"))


def _edit(request: HttpRequest, organization: Organization, service: Service) -> HttpResponse:
    user = request_user(request)
    is_new = service._state.adding  # a new Service already has its UUID, so pk cannot tell
    form = ServiceForm(request.POST or None, instance=service, organization=organization)
    if request.method == "POST" and form.is_valid():
        hours = {} if is_new else {at.location_id: at.schedules.all() for at in service.service_at_locations.all()}
        availability = [
            Availability(location, [(h.weekday, h.opens_at, h.closes_at) for h in hours.get(location.pk, [])])
            for location in form.cleaned_data["locations"]
        ]
        saved = do_save_service(
            actor=user,
            organization=organization,
            service=None if is_new else service,
            fields=form.service_fields(),
            kinds=form.cleaned_data["kinds"],
            target_groups=form.cleaned_data["target_groups"],
            areas_served=form.cleaned_data["areas_served"],
            costs=[Cost(amount_cents=form.price_cents(), unit=form.cleaned_data["price_unit"])],
            availability=availability,
        )
        messages.success(request, _("The service has been saved."))
        return redirect("catalogue:staff_service_edit", service_id=saved.pk)
    return render(
        request,
        "catalogue/staff/service_form.html",
        {"form": form, "service": service, "organization": organization, "is_new": is_new},
    )


@login_required
@require_POST
def staff_service_submit(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = access.access_service_for_staff(request.user, service_id)
    try:
        do_submit_service(service, actor=request_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sent to the planning office for review."))
    return redirect("catalogue:staff_service_edit", service_id=service.pk)


# District admin: moderation.


@login_required
@require_safe
def moderation_queue(request: HttpRequest) -> HttpResponse:
    services = access.services_to_moderate(request.user).select_related("organization").order_by("last_modified")
    return render(request, "catalogue/moderation/queue.html", {"services": services})


@login_required
@require_http_methods(["GET", "POST"])
def moderation_review(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = access.access_service_for_moderator(request.user, service_id)
    return_form = ReturnForm(request.POST if request.POST.get("decision") == "return" else None)
    if request.method == "POST":
        user = request_user(request)
        try:
            if request.POST.get("decision") == "publish":
                do_publish_service(service, actor=user)
                messages.success(request, _("The service is published."))
                return redirect("catalogue:moderation_queue")
            if return_form.is_valid():
                do_return_service(service, actor=user, reason=return_form.cleaned_data["reason"])
                messages.success(request, _("The service has been returned to its provider."))
                return redirect("catalogue:moderation_queue")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(
        request,
        "catalogue/moderation/review.html",
        {"service": service, "return_form": return_form, **_service_context(service)},
    )


# The planning office's kinds of service and target groups.


def _term_form_and_save(request: HttpRequest, term: TaxonomyTerm | None) -> tuple[TermForm, TaxonomyTerm | None]:
    """The add / rename form, and the saved term when the POST was valid and the action accepted it."""
    form = TermForm(request.POST or None, term=term)
    if request.method != "POST" or not form.is_valid():
        return form, None
    slug, area = form.placement()
    data = form.cleaned_data
    try:
        saved = do_save_term(
            actor=request_user(request), taxonomy=Taxonomy.objects.get(slug=slug), term=term, parent=area,
            name_it=data["name_it"], name_en=data["name_en"], description_it=data["description_it"],
            description_en=data["description_en"])  # fmt: skip
    except ValidationError as error:
        for name, errors in error.message_dict.items():
            form.add_error("where" if name == "parent" else name if name in form.fields else None, errors)
        return form, None
    return form, saved


@login_required
@require_http_methods(["GET", "POST"])
def admin_terms(request: HttpRequest) -> HttpResponse:
    """The areas of the offer with their kinds of service, and the target groups; the form to add one."""
    terms = list(access.terms_for_planning(request.user).annotate(
        in_use=Count("services", distinct=True) + Count("services_for_group", distinct=True)
    ).order_by("position", "name_it"))  # fmt: skip
    form, saved = _term_form_and_save(request, None)
    if saved is not None:
        messages.success(request, _("Added: providers can offer it, and the search and the home page show it once "
                                    "a service of it is published."))  # fmt: skip
        return redirect("catalogue:admin_terms")
    active = [t for t in terms if t.retired_at is None]
    return render(request, "catalogue/admin/terms.html", {
        "form": form,
        "areas": [(area, [k for k in active if k.parent_id == area.pk]) for area in active
                  if area.taxonomy.slug == SERVICE_KINDS and area.parent_id is None],
        "groups": [t for t in active if t.taxonomy.slug == TARGET_GROUPS],
        "retired": [t for t in terms if t.retired_at is not None],
    }, status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def admin_term(request: HttpRequest, term_id: uuid.UUID) -> HttpResponse:
    """Rename a kind, an area or a target group (Italian and English), move a kind to another area."""
    term = access.access_term_for_planning(request.user, term_id)
    form, saved = _term_form_and_save(request, term)
    if saved is not None:
        messages.success(request, _("Saved: the catalogue shows the new name at once."))
        return redirect("catalogue:admin_term", term_id=term.pk)
    return _term_page(request, term, form, RetireTermForm(term=term))


def _term_page(request: HttpRequest, term: TaxonomyTerm, form: TermForm, retire_form: RetireTermForm) -> HttpResponse:
    return render(request, "catalogue/admin/term.html", {
        "term": term, "form": form, "retire_form": retire_form,
        "services": Service.objects.filter(Q(kinds=term) | Q(target_groups=term)).distinct().count(),
    }, status=400 if form.errors or retire_form.errors else 200)  # fmt: skip


@login_required
@require_POST
def admin_term_retire(request: HttpRequest, term_id: uuid.UUID) -> HttpResponse:
    term = access.access_term_for_planning(request.user, term_id)
    retire_form = RetireTermForm(request.POST, term=term)
    if retire_form.is_valid():
        try:
            moved = do_retire_term(term, actor=request_user(request),
                                   replacement=retire_form.cleaned_data["replacement"])  # fmt: skip
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    retire_form.add_error(name if name in retire_form.fields else None, errors)
            else:
                retire_form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext("Retired: %(count)s service moved.", "Retired: %(count)s services moved.", moved)
                % {"count": moved},
            )
            return redirect("catalogue:admin_terms")
    return _term_page(request, term, TermForm(term=term), retire_form)
