"""Writes to the district's reference data: municipalities and Social Points."""

import datetime as dt
import hashlib
import io
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image

from welfare.audit.actions import Person, record
from welfare.lib.plain_text import ALLOWED_LINK
from welfare.territory.hours import check_exception, check_weekly_hours
from welfare.territory.models import (
    District,
    DistrictPage,
    Municipality,
    OpeningException,
    OpeningHours,
    SocialPoint,
)
from welfare.territory.queries import forget_district


@transaction.atomic
def do_load_district(data: dict[str, Any], *, actor: Person | None) -> District:
    """Create or update a district and its municipalities from reference data.

    Idempotent: loading the same data twice changes nothing and records nothing the second time.
    """
    info = data["district"]
    district, created = District.objects.get_or_create(
        slug=info["slug"],
        defaults={
            "name": info["name"],
            "province": info["province"],
            "region": info["region"],
            "office_name": info.get("office_name", ""),
        },
    )
    if created:
        record(actor, "district.created", district)
    for row in data["municipalities"]:
        values = {
            "district": district,
            "name": row["name"],
            "cadastral_code": row["cadastral"],
            "postal_codes": row["cap"],
            "population": row.get("population_2011"),
            "population_year": data.get("population_year"),
        }
        municipality = Municipality.objects.filter(istat_code=row["istat"]).first()
        if municipality is None:
            municipality = Municipality.objects.create(istat_code=row["istat"], **values)
            record(actor, "municipality.created", municipality)
            continue
        changed = [field for field, value in values.items() if getattr(municipality, field) != value]
        if changed:
            for field in changed:
                setattr(municipality, field, values[field])
            municipality.save(update_fields=changed)
            record(actor, "municipality.updated", municipality, fields=changed)
    lead = Municipality.objects.get(istat_code=info["lead_municipality_istat"])
    if district.lead_municipality_id != lead.pk:
        district.lead_municipality = lead
        district.save(update_fields=["lead_municipality"])
        record(actor, "district.updated", district, fields=["lead_municipality"])
    transaction.on_commit(forget_district)
    return district


@transaction.atomic
def do_save_social_point(
    *,
    actor: Person | None,
    slug: str,
    municipality: Municipality,
    name: str,
    address: str,
    postal_code: str,
    phone: str = "",
    email: str = "",
    directions: str = "",
    slot_minutes: int | None = None,
    hours: list[tuple[int, dt.time, dt.time]] | None = None,
) -> SocialPoint:
    """Create or update a Social Point and replace its opening hours when `hours` is given (refused when two
    intervals of a day overlap or one ends before it starts). Bookings the new hours leave out are the
    caller's to cancel (assistance.actions.do_save_social_point_with_bookings)."""
    if hours is not None:
        check_weekly_hours(hours)
    values: dict[str, object] = {
        "municipality": municipality,
        "name": name,
        "address": address,
        "postal_code": postal_code,
        "phone": phone,
        "email": email,
        "directions": directions,
    }
    if slot_minutes is not None:
        values["slot_minutes"] = slot_minutes
    point = SocialPoint.objects.filter(slug=slug).first()
    if point is None:
        point = SocialPoint.objects.create(slug=slug, **values)
        changed = ["created"]
    else:
        changed = [field for field, value in values.items() if getattr(point, field) != value]
        for field in changed:
            setattr(point, field, values[field])
        if changed:
            point.save(update_fields=changed)
    if hours is not None:
        current = list(point.opening_hours.values_list("weekday", "opens", "closes"))
        if sorted(current) != sorted(hours):
            point.opening_hours.all().delete()
            OpeningHours.objects.bulk_create(
                OpeningHours(social_point=point, weekday=day, opens=opens, closes=closes)
                for day, opens, closes in hours
            )
            changed.append("opening_hours")
    if changed:
        record(actor, "social_point.saved", point, fields=changed)
    return point


@transaction.atomic
def do_set_social_point_open(point: SocialPoint, *, actor: Person | None, is_active: bool) -> SocialPoint:
    """Close a Social Point to the public (it leaves the public pages and takes no bookings; its records stay),
    or open it again."""
    if point.is_active != is_active:
        point.is_active = is_active
        point.save(update_fields=["is_active"])
        record(actor, "social_point.opened" if is_active else "social_point.closed", point)
    return point


@transaction.atomic
def do_update_social_point_notes(point: SocialPoint, *, actor: Person | None, notes: str) -> SocialPoint:
    """The notice for visitors, written by the point's operators or the planning office."""
    notes = notes.strip()
    if len(notes) > 600:
        raise ValidationError(_("Keep the notice within 600 characters."), code="too_long")
    if point.notes != notes:
        point.notes = notes
        point.save(update_fields=["notes"])
        record(actor, "social_point.notes_updated", point)
    return point


@transaction.atomic
def do_add_opening_exception(
    point: SocialPoint, *, actor: Person | None, first_day: dt.date, last_day: dt.date,
    opens: dt.time | None = None, closes: dt.time | None = None, reason: str = "",
) -> OpeningException:  # fmt: skip
    """A closure (no times) or other hours from `first_day` to `last_day`: the slots follow at once
    (territory.hours); bookings it leaves out are the caller's to cancel."""
    SocialPoint.objects.select_for_update().filter(pk=point.pk).first()  # one change of a point's hours at a time
    check_exception(point, first_day=first_day, last_day=last_day, opens=opens, closes=closes)
    exception = OpeningException.objects.create(social_point=point, first_day=first_day, last_day=last_day,
                                                opens=opens, closes=closes, reason=reason.strip())  # fmt: skip
    record(actor, "social_point.exception_added", point, exception=exception.pk, closure=exception.is_closure,
           first_day=first_day.isoformat(), last_day=last_day.isoformat())  # fmt: skip
    return exception


@transaction.atomic
def do_remove_opening_exception(exception: OpeningException, *, actor: Person | None) -> None:
    """The weekly hours apply again on its days (cancelled bookings stay cancelled: their people were told)."""
    record(actor, "social_point.exception_removed", exception.social_point, exception=exception.pk,
           first_day=exception.first_day.isoformat(), last_day=exception.last_day.isoformat())  # fmt: skip
    exception.delete()


@transaction.atomic
def do_update_district_office(
    district: District, *, actor: Person | None, address: str, email: str, phone: str
) -> District:
    return do_update_district_details(
        district, actor=actor, values={"office_address": address, "office_email": email, "office_phone": phone}
    )


# What the planning office edits about its district: the contacts, and who answers for personal data and
# accessibility (named in the privacy notice and the accessibility statement).
DISTRICT_DETAILS = (
    "office_name", "office_address", "office_email", "office_phone", "controller_name", "controller_contact",
    "dpo_name", "dpo_email", "accessibility_statement_url", "accessibility_statement_date",
)  # fmt: skip


@transaction.atomic
def do_update_district_details(district: District, *, actor: Person | None, values: dict[str, object]) -> District:
    unknown = set(values) - set(DISTRICT_DETAILS)
    if unknown:
        raise ValueError(f"not a district detail: {sorted(unknown)}")
    url = values.get("accessibility_statement_url")
    if isinstance(url, str) and url and not url.startswith("https://"):
        raise ValidationError(_("The statement's address must start with https://."), code="https")
    changed = [field for field, value in values.items() if getattr(district, field) != value]
    if changed:
        for field in changed:
            setattr(district, field, values[field])
        district.save(update_fields=changed)
        record(actor, "district.updated", district, fields=changed)
        transaction.on_commit(forget_district)
    return district


LOGO_MAX_BYTES = 300_000
LOGO_MAX_PIXELS = 2000


@transaction.atomic
def do_update_district_logo(district: District, *, actor: Person | None, content: bytes | None) -> District:
    """Set the logo shown in the header (a PNG or JPEG of at most 300 KB and 2000 pixels a side, recognised by
    its content and opened to check it is a whole image), or remove it with `content=None`."""
    if content is None:
        values: dict[str, object] = {"logo": b"", "logo_type": "", "logo_digest": ""}
    else:
        if len(content) > LOGO_MAX_BYTES:
            raise ValidationError(_("The logo is too large: at most 300 KB."), code="too_large")
        kind = "image/png" if content.startswith(b"\x89PNG\r\n\x1a\n") else \
            "image/jpeg" if content.startswith(b"\xff\xd8\xff") else ""  # fmt: skip
        if not kind:
            raise ValidationError(_("The logo must be a PNG or JPEG image."), code="file_type")
        try:
            with Image.open(io.BytesIO(content)) as image:
                image.verify()
                width, height = image.size
        except Exception as error:  # Pillow raises many kinds for a damaged file
            raise ValidationError(_("This file is not a readable image."), code="damaged") from error
        if max(width, height) > LOGO_MAX_PIXELS:
            raise ValidationError(_("The logo is too large: at most 2000 pixels a side."), code="too_large")
        values = {"logo": content, "logo_type": kind, "logo_digest": hashlib.sha256(content).hexdigest()[:16]}
    if values["logo_digest"] != district.logo_digest:
        District.objects.filter(pk=district.pk).update(**values)
        for field, value in values.items():
            setattr(district, field, value)
        record(actor, "district.logo_updated" if content else "district.logo_removed", district)
        transaction.on_commit(forget_district)
    return district


# The guides and news the district writes.

LINK_TARGETS = re.compile(r"\]\(\s*([^)\s]*)|<([a-z][a-z0-9+.-]*:[^>\s]*)>", re.IGNORECASE)


def _check_page(values: dict[str, str]) -> None:
    errors: dict[str, str] = {}
    for name in ("title_it", "title_en", "body_it", "body_en"):
        if not values[name].strip():
            errors[name] = _("Write it in both languages.")
    for name in ("body_it", "body_en"):
        bad = [a or b for a, b in LINK_TARGETS.findall(values[name]) if not ALLOWED_LINK.match(a or b)]
        if bad:
            errors[name] = _(
                "Links go to web addresses (https://…), email addresses (mailto:), phone numbers (tel:) or the "
                "portal's pages (/…): %(links)s is not one.") % {"links": ", ".join(bad)}  # fmt: skip
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_save_district_page(
    district: District, *, actor: Person | None, page: DistrictPage | None = None, kind: str, title_it: str,
    title_en: str, body_it: str, body_en: str,
) -> DistrictPage:  # fmt: skip
    """Write a guide or a piece of news (a draft until published). Its address comes from the Italian title once
    and stays, so links to it keep working after a new title."""
    values = {"kind": kind, "title_it": title_it.strip(), "title_en": title_en.strip(), "body_it": body_it.strip(),
              "body_en": body_en.strip()}  # fmt: skip
    if kind not in DistrictPage.Kind.values:
        raise ValidationError({"kind": _("Choose a guide or a piece of news.")})
    _check_page(values)
    if page is None:
        base = slugify(values["title_it"])[:60] or "pagina"
        slug, number = base, 2
        while DistrictPage.objects.filter(district=district, slug=slug).exists():
            slug, number = f"{base}-{number}", number + 1
        page = DistrictPage.objects.create(district=district, slug=slug, **values)
        record(actor, "district_page.created", page)
        return page
    changed = [name for name, value in values.items() if getattr(page, name) != value]
    if changed:
        for name in changed:
            setattr(page, name, values[name])
        page.save(update_fields=[*changed, "updated_at"])
        record(actor, "district_page.saved", page, fields=changed)
    return page


@transaction.atomic
def do_publish_district_page(page: DistrictPage, *, actor: Person | None, published: bool) -> DistrictPage:
    """Publish a page (the home page and the search show it at once) or take it back to a draft."""
    if published != (page.published_at is not None):
        page.published_at = timezone.now() if published else None
        page.save(update_fields=["published_at", "updated_at"])
        record(actor, "district_page.published" if published else "district_page.withdrawn", page)
    return page
