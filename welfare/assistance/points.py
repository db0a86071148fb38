"""Running the Social Points: the planning office creates, edits, opens and closes them; the planning office and
a point's own operators set closures and other hours (the booking slots follow at once, and people booked
in the hours taken away are told) and the notice for visitors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from welfare.accounts.access import districts_for_planning, request_user
from welfare.assistance import access
from welfare.assistance.actions import (
    bookings_to_call,
    do_add_exception_and_bookings,
    do_save_point_and_bookings,
    do_set_point_open_and_bookings,
)
from welfare.assistance.forms import OpeningExceptionForm, SocialPointForm, SocialPointNotesForm, SocialPointOpenForm
from welfare.assistance.models import Appointment
from welfare.assistance.slots import upcoming_bookings
from welfare.territory.actions import do_remove_opening_exception, do_update_social_point_notes
from welfare.territory.hours import upcoming_exceptions
from welfare.territory.models import Municipality, OpeningException, SocialPoint


def _tell_cancelled(request: HttpRequest, cancelled: list[Appointment]) -> None:
    if not cancelled:
        return
    emailed = sum(1 for appointment in cancelled if appointment.email)
    messages.warning(request, ngettext(
        "%(count)s upcoming appointment was cancelled: %(emailed)s emailed, the others are listed for the Social "
        "Point to call.",
        "%(count)s upcoming appointments were cancelled: %(emailed)s emailed, the others are listed for the Social "
        "Point to call.", len(cancelled)) % {"count": len(cancelled), "emailed": emailed})  # fmt: skip


@login_required
@require_safe
def points(request: HttpRequest) -> HttpResponse:
    """The planning office's Social Points: open and closed, their hours and upcoming exceptions."""
    today = timezone.localdate()
    found = access.social_points_for_district_admin(request_user(request)).annotate(
        upcoming_exceptions=Count("exceptions", filter=Q(exceptions__last_day__gte=today))
    )
    return render(request, "assistance/points.html", {"points": found})


@login_required
@require_http_methods(["GET", "POST"])
def point_new(request: HttpRequest) -> HttpResponse:
    return _point_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def point_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _point_page(request, access.access_social_point_to_manage(request_user(request), slug))


def _point_page(request: HttpRequest, point: SocialPoint | None) -> HttpResponse:
    """A new Social Point, or one of the planning office's: details and weekly hours, for municipalities of its
    districts only."""
    user = request_user(request)
    municipalities = Municipality.objects.filter(district__in=districts_for_planning(user))
    form = SocialPointForm(request.POST or None, point=point, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved, cancelled = do_save_point_and_bookings(
                actor=user, slug=point.slug if point else _new_slug(data["name"]), hours=data["hours"],
                **{name: data[name] for name in ("municipality", "name", "address", "postal_code", "phone", "email",
                                                 "directions", "slot_minutes")})  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved: the public pages and the booking slots follow at once.") if point else
                             _("Social Point created: it is on the public pages and takes bookings."))  # fmt: skip
            _tell_cancelled(request, cancelled)
            return redirect("assistance:point_edit", saved.slug)
    context: dict[str, object] = {"form": form, "point": point}
    if point is not None:
        context |= {"open_form": SocialPointOpenForm(), "upcoming": upcoming_bookings(point).count()}
    return render(request, "assistance/point_edit.html", context, status=400 if form.errors else 200)


def _new_slug(name: str) -> str:
    base = slugify(name)[:40] or "social-point"
    slug, number = base, 2
    while SocialPoint.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@login_required
@require_POST
def point_open(request: HttpRequest, slug: str) -> HttpResponse:
    """Close a Social Point to the public (confirmed with a tick: its bookings are cancelled) or open it again."""
    user = request_user(request)
    point = access.access_social_point_to_manage(user, slug)
    opening = not point.is_active
    form = SocialPointOpenForm(request.POST)
    if not opening and not form.is_valid():
        messages.error(request, _("Tick the box to confirm that you want to close the Social Point."))
        return redirect("assistance:point_edit", point.slug)
    cancelled = do_set_point_open_and_bookings(point, actor=user, is_active=opening)
    messages.success(request, _("The Social Point is open again.") if opening else
                     _("The Social Point is closed: it no longer appears on the public pages."))  # fmt: skip
    _tell_cancelled(request, cancelled)
    return redirect("assistance:point_edit", point.slug)


@login_required
@require_http_methods(["GET", "POST"])
def point_hours(request: HttpRequest, slug: str) -> HttpResponse:
    """Closures and other hours of one Social Point, and its notice for visitors."""
    user = request_user(request)
    point = access.access_social_point_hours(user, slug)
    form = OpeningExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _exception, cancelled = do_add_exception_and_bookings(
                point, actor=user, first_day=data["first_day"], last_day=data["last_day"], opens=data["opens"],
                closes=data["closes"], reason=data["reason"])  # fmt: skip
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Saved: the booking slots follow at once."))
            _tell_cancelled(request, cancelled)
            return redirect("assistance:point_hours", point.slug)
    return _hours_page(request, point, form=form)


def _hours_page(request: HttpRequest, point: SocialPoint, *, form: OpeningExceptionForm | None = None,
                notes_form: SocialPointNotesForm | None = None) -> HttpResponse:  # fmt: skip
    user = request_user(request)
    to_call = bookings_to_call(point)
    form = form or OpeningExceptionForm()
    notes_form = notes_form or SocialPointNotesForm(initial={"notes": point.notes})
    return render(request, "assistance/point_hours.html", {
        "point": point, "form": form, "notes_form": notes_form, "exceptions": upcoming_exceptions(point),
        # Who to call is the point's operators' to see; the planning office sees how many.
        "to_call": to_call if access.sees_visitors_of(user, point) else None, "to_call_count": len(to_call),
        "manages": access.manages_point(user, point),
    }, status=400 if form.errors or notes_form.errors else 200)  # fmt: skip


@login_required
@require_POST
def point_exception_remove(request: HttpRequest, slug: str, exception_id: int) -> HttpResponse:
    user = request_user(request)
    point = access.access_social_point_hours(user, slug)
    exception = get_object_or_404(OpeningException, pk=exception_id, social_point=point)
    do_remove_opening_exception(exception, actor=user)
    messages.success(request, _("Removed: the weekly hours apply again on those days."))
    return redirect("assistance:point_hours", point.slug)


@login_required
@require_POST
def point_notes(request: HttpRequest, slug: str) -> HttpResponse:
    user = request_user(request)
    point = access.access_social_point_hours(user, slug)
    form = SocialPointNotesForm(request.POST)
    if not form.is_valid():
        return _hours_page(request, point, notes_form=form)
    do_update_social_point_notes(point, actor=user, notes=form.cleaned_data["notes"])
    messages.success(request, _("Saved: the notice is on the public pages."))
    return redirect("assistance:point_hours", point.slug)
