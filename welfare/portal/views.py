import uuid
from itertools import groupby

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from welfare.accounts.access import (
    acting_of,
    active_delegations,
    citizen_profile_of,
    districts_for_planning,
    request_user,
)
from welfare.accounts.actions import do_set_preferred_language
from welfare.accounts.models import Delegation
from welfare.assistance.access import consents_of
from welfare.audit.actions import record
from welfare.care import access as care_access
from welfare.care.queries import with_history
from welfare.catalogue.queries import catalogue_version, service_areas, target_groups
from welfare.delivery.access import sessions_to_check
from welfare.family_assistants.models import Listing
from welfare.lib.feedback import run_and_tell
from welfare.lib.forms import DateInput
from welfare.lib.page_cache import public_page
from welfare.lib.plain_text import render_plain_text
from welfare.operations import health
from welfare.portal.closure import do_close_account, in_progress
from welfare.portal.data_export import do_request_personal_data_export, forget_expired_exports
from welfare.portal.models import PersonalDataExport
from welfare.territory.actions import (
    DISTRICT_DETAILS,
    do_publish_district_page,
    do_save_district_page,
    do_update_district_details,
    do_update_district_logo,
)
from welfare.territory.models import District, DistrictPage
from welfare.territory.queries import pages_version, public_social_points, published_pages, territory_version

PAGE_TEXT_HELP = gettext_lazy(
    "Plain text. A line starting with “#” is a heading, with “- ” a list item; a link is written [text](https://…), "
    "[text](mailto:…), [text](tel:…) or [text](/servizi/). Nothing else is formatted."
)


def home_version() -> str:
    """The home page shows the district's Social Points, the catalogue's areas of the offer (and, since the catalogue's
    version counts them, the district's guides and news)."""
    return f"{territory_version()}|{catalogue_version()}"


@require_safe
@public_page(home_version)
def home(request: HttpRequest) -> HttpResponse:
    """The areas of the offer as the planning office arranges them; the Social Points of the visitor's own
    municipality come first, when we know it."""
    points = list(public_social_points())
    profile = citizen_profile_of(request.user)
    if profile is not None:
        points.sort(key=lambda point: point.municipality_id != profile.municipality_id)
    found = list(published_pages())
    return render(request, "portal/home.html", {
        "social_points": points, "areas": service_areas(), "target_groups": target_groups(),
        "news": [p for p in found if p.kind == DistrictPage.Kind.NEWS][:3],
        "guides": [p for p in found if p.kind == DistrictPage.Kind.GUIDE],
    })  # fmt: skip


@require_safe
@public_page(territory_version)
def social_points(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/social_points.html", {"social_points": public_social_points()})


def _legal_text(request: HttpRequest, name: str) -> HttpResponse:
    """Legal texts are whole documents per language (portal/<name>.<lang>.html), Italian as fallback."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return render(request, [f"portal/{name}.{language}.html", f"portal/{name}.it.html"])


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return _legal_text(request, "privacy")


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return _legal_text(request, "accessibility")


@require_POST
def set_language(request: HttpRequest) -> HttpResponseBase:
    """The language switch: Django's set_language, and the choice saved on the account when logged in."""
    # Django's view checks the language and keeps `next` on this site.
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user = request_user(request)
        do_set_preferred_language(user, language, actor=user)
    return response


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For monitoring: the database, the cache, the worker and the scheduler (docs/deploy.md, "Monitoring");
    503 when one of them is down or stale."""
    healthy, report = health.full_report()
    return JsonResponse(report, status=200 if healthy else 503)


@never_cache
@require_safe
def healthz_web(request: HttpRequest) -> JsonResponse:
    """For a load balancer: can this web process answer pages (database and cache)? 503 when not."""
    healthy, report = health.web_report()
    return JsonResponse(report, status=200 if healthy else 503)


# The personal area: pages that combine domains.


@login_required
@require_safe
def timeline(request: HttpRequest) -> HttpResponse:
    """Every request of the family (care), with the sessions waiting for its answer (delivery), grouped by the
    person it is for, newest first; a fixed number of queries."""
    acting = acting_of(request)
    requests = list(
        with_history(care_access.with_unread(care_access.requests_for_acting(acting), acting.actor))
        .annotate(sessions_to_check=sessions_to_check())
        .order_by("beneficiary_member__first_name", "-created_at")
    )
    groups = [(member, list(items)) for member, items in groupby(requests, key=lambda r: r.beneficiary_member)]
    return render(request, "care/timeline.html", {"groups": groups})


class DistrictDetailsForm(forms.ModelForm[District]):
    class Meta:
        model = District
        fields = list(DISTRICT_DETAILS)
        widgets = {"accessibility_statement_date": DateInput()}


class DistrictLogoForm(forms.Form):
    logo = forms.FileField(
        label=_("Logo"), required=False, widget=forms.ClearableFileInput({"accept": ".png,.jpg,.jpeg"}),
        help_text=_("PNG or JPEG, at most 300 KB and 2000 pixels a side; shown in the header of every page at 48 "
                    "pixels high."),
    )  # fmt: skip
    remove = forms.BooleanField(label=_("Remove the logo"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("logo") and not data.get("remove"):
            self.add_error("logo", _("Choose an image, or tick “Remove the logo”."))
        return data


def _planning_district(request: HttpRequest) -> District:
    return districts_for_planning(request.user)[0]


@login_required
@require_http_methods(["GET", "POST"])
def district_details(request: HttpRequest) -> HttpResponse:
    """The planning office's details of its district: contacts, the data controller and the data protection
    officer (named in the privacy notice), the accessibility statement published with AgID's form, the logo."""
    district = _planning_district(request)
    form = DistrictDetailsForm(request.POST or None, instance=District.objects.get(pk=district.pk))
    if request.method == "POST" and form.is_valid():
        try:
            do_update_district_details(
                district,
                actor=request_user(request),
                values={name: form.cleaned_data[name] for name in DISTRICT_DETAILS},
            )
        except ValidationError as error:
            form.add_error("accessibility_statement_url", error)
        else:
            messages.success(request, _("Saved: the privacy notice and the accessibility statement show it at once."))
            return redirect("portal:district_details")  # fmt: skip
    return render(request, "portal/district_details.html", {"form": form, "district": district,
                                                            "logo_form": DistrictLogoForm()},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_POST
def district_logo_upload(request: HttpRequest) -> HttpResponse:
    """A new logo for the header, or none."""
    district = _planning_district(request)
    logo_form = DistrictLogoForm(request.POST, request.FILES)
    if logo_form.is_valid():
        upload = logo_form.cleaned_data["logo"]
        try:
            do_update_district_logo(district, actor=request_user(request),
                                    content=None if logo_form.cleaned_data["remove"] else upload.read())  # fmt: skip
        except ValidationError as error:
            logo_form.add_error("logo", error)
        else:
            messages.success(request, _("Saved: every page shows it at once."))
            return redirect("portal:district_details")
    form = DistrictDetailsForm(instance=District.objects.get(pk=district.pk))
    return render(request, "portal/district_details.html", {"form": form, "district": district,
                                                            "logo_form": logo_form}, status=400)  # fmt: skip


@require_safe
def district_logo(request: HttpRequest, digest: str) -> HttpResponse:
    """The district's logo, served by the portal itself under its digest: a new logo is a new address, so this
    one may be kept for a year."""
    found = (District.objects.filter(slug=settings.WELFARE_DISTRICT, logo_digest=digest).exclude(logo_digest="")
             .values_list("logo", "logo_type").first())  # fmt: skip
    if found is None:
        raise Http404
    response = HttpResponse(bytes(found[0]), content_type=found[1])
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """ "Download my data": ask for a copy of everything held about oneself and one's household (GDPR art. 15);
    it is built in the background and kept for seven days. The person's own account only, never a delegate's."""
    user = request_user(request)
    forget_expired_exports(user)
    if request.method == "POST" and run_and_tell(request, lambda: do_request_personal_data_export(user), _(
            "Requested: we prepare the copy and tell you when it is ready (usually within minutes).")):  # fmt: skip
        return redirect("portal:my_data")
    return render(request, "portal/my_data.html", {"exports": PersonalDataExport.objects.filter(user=user)})


class CloseAccountForm(forms.Form):
    understood = forms.BooleanField(
        label=_("I understand: my account closes now and I can no longer log in"),
        error_messages={"required": _("Tick the box to confirm that you want to close the account.")},
    )
    reason = forms.CharField(label=_("Why are you leaving? (optional)"), max_length=300, required=False,
                             widget=forms.Textarea({"rows": 2}))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def close_account(request: HttpRequest) -> HttpResponse:
    """Close one's own account (GDPR art. 17): what need not be kept is deleted, the rest restricted and, at the end
    of its retention, anonymised. The person's own account only, never a delegate's."""
    user = request_user(request)
    if citizen_profile_of(user) is None:
        raise Http404
    form = CloseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_close_account(user, actor=user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            auth_logout(request)
            messages.success(request, _("Your account is closed. Thank you for using the portal."))
            return redirect("portal:home")
    return render(request, "portal/close_account.html", {
        "form": form, "in_progress": in_progress(user), "years": settings.RETENTION_YEARS,
    })  # fmt: skip


@login_required
@require_safe
def consents(request: HttpRequest) -> HttpResponse:
    """Every processing that rests on the resident's consent, each with its own way to withdraw it (GDPR art. 7.3):
    the Social Points following them after an interview, the delegations they gave, their listing as a family
    assistant. The person's own account only, never a delegate's."""
    user = request_user(request)
    profile = citizen_profile_of(user)
    listing = Listing.objects.filter(user=user).exclude(state=Listing.State.WITHDRAWN).first()
    return render(request, "portal/consents.html", {
        "profile": profile,
        "followed": consents_of(profile) if profile else [],
        "delegations": (active_delegations().filter(granter=profile, source=Delegation.Source.GRANTED)
                        .select_related("delegate_user", "delegate_social_point") if profile else []),
        "listing": listing,
    })  # fmt: skip


@login_required
@require_safe
def my_data_download(request: HttpRequest, export_id: uuid.UUID) -> FileResponse:
    user = request_user(request)
    export = PersonalDataExport.objects.filter(pk=export_id, user=user, expires_at__gt=timezone.now()).first()
    if export is None or not export.file:
        raise Http404
    record(user, "personal_data_export.downloaded", export)
    response = FileResponse(export.file.open("rb"), as_attachment=True, filename="dati-personali.zip",
                            content_type="application/zip")  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    return response


# The guides and news the district writes.


@require_safe
@public_page(pages_version)
def pages(request: HttpRequest) -> HttpResponse:
    found = list(published_pages())
    return render(request, "portal/pages.html", {
        "news": [p for p in found if p.kind == DistrictPage.Kind.NEWS],
        "guides": sorted((p for p in found if p.kind == DistrictPage.Kind.GUIDE), key=lambda p: p.title),
    })  # fmt: skip


@require_safe
@public_page(pages_version)
def page(request: HttpRequest, slug: str) -> HttpResponse:
    found = published_pages().filter(slug=slug).first()
    if found is None:
        raise Http404
    return render(request, "portal/page.html", {"page": found, "body": render_plain_text(found.body)})


class DistrictPageForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DistrictPage.Kind.choices)
    title_it = forms.CharField(label=_("Title in Italian"), max_length=150)
    body_it = forms.CharField(label=_("Text in Italian"), max_length=8000, widget=forms.Textarea({"rows": 10}),
                              help_text=PAGE_TEXT_HELP)  # fmt: skip
    title_en = forms.CharField(label=_("Title in English"), max_length=150, widget=forms.TextInput({"lang": "en"}))
    body_en = forms.CharField(label=_("Text in English"), max_length=8000,
                              widget=forms.Textarea({"rows": 10, "lang": "en"}))  # fmt: skip


@login_required
@require_safe
def admin_pages(request: HttpRequest) -> HttpResponse:
    district = _planning_district(request)
    return render(request, "portal/admin_pages.html", {"pages": DistrictPage.objects.filter(district=district)})


def _planned_page(request: HttpRequest, page_id: int) -> DistrictPage:
    found = DistrictPage.objects.filter(district=_planning_district(request), pk=page_id).first()
    if found is None:
        raise Http404
    return found


@login_required
@require_http_methods(["GET", "POST"])
def admin_page_new(request: HttpRequest) -> HttpResponse:
    return _admin_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def admin_page(request: HttpRequest, page_id: int) -> HttpResponse:
    return _admin_page(request, _planned_page(request, page_id))


def _admin_page(request: HttpRequest, found: DistrictPage | None) -> HttpResponse:
    """Write a guide or a piece of news; the page shows how the saved text reads."""
    district = _planning_district(request)
    initial = {name: getattr(found, name) for name in DistrictPageForm.base_fields} if found else None
    form = DistrictPageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = do_save_district_page(district, actor=request_user(request), page=found, **form.cleaned_data)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Saved.") if found else _("Saved as a draft: publish it when it is ready."))
            return redirect("portal:admin_page", page_id=saved.pk)
    preview = {"it": render_plain_text(found.body_it), "en": render_plain_text(found.body_en)} if found else None
    return render(request, "portal/admin_page.html", {"form": form, "page": found, "preview": preview},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_POST
def admin_page_publish(request: HttpRequest, page_id: int) -> HttpResponse:
    found = _planned_page(request, page_id)
    published = request.POST.get("pubblica") == "1"
    do_publish_district_page(found, actor=request_user(request), published=published)
    messages.success(request, _("Published: the home page and the search show it.") if published else
                     _("Withdrawn: it is a draft again."))  # fmt: skip
    return redirect("portal:admin_page", page_id=found.pk)
