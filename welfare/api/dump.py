"""The whole open catalogue in one file: HSDS 3.0 JSON (one document per object type, and the services fully
nested), zipped, with its licence and a description of every file. Anyone may download it."""

import datetime as dt
import io
import json
import zipfile

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from welfare.api import hsds_objects as hsds
from welfare.api.hsds import PROFILE, full_services, public_organizations, public_service_at_locations
from welfare.catalogue.access import published_services
from welfare.catalogue.models import Taxonomy, TaxonomyTerm

README = """Welfare Integrato - the district's open catalogue as Open Referral HSDS {version} (JSON form).
Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Made on {made}.

services.json             every published service, fully nested (organisation, locations, schedules, costs,
                          areas served, kinds and target groups as taxonomy terms)
organizations.json        the organisations with at least one published service
service_at_locations.json where each service is offered, with its schedules
taxonomies.json           the taxonomies the terms belong to
taxonomy_terms.json       the kinds of service and target groups, in Italian and English
Field meanings: {profile} (the HSDS 3.0 schema). Only published services and what they reference are included.
"""


def catalogue_zip() -> bytes:
    files = {
        "services.json": [hsds.service_object(s) for s in full_services(published_services()).order_by("name", "pk")],
        "organizations.json": [hsds.organization_object(o) for o in public_organizations().order_by("name", "pk")],
        "service_at_locations.json": [hsds.service_at_location_object(at)
                                      for at in public_service_at_locations().order_by("service__name", "pk")],
        "taxonomies.json": [hsds.taxonomy_object(t) for t in Taxonomy.objects.order_by("slug")],
        "taxonomy_terms.json": [hsds.taxonomy_term_object(t) for t in TaxonomyTerm.objects.select_related("taxonomy")
                                .order_by("taxonomy__slug", "position", "code")],
    }  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(version="3.0", made=timezone.localdate().isoformat(),
                                                     profile=PROFILE))  # fmt: skip
        for name, objects in files.items():
            archive.writestr(name, json.dumps(objects, ensure_ascii=False, indent=1, default=str))
    return buffer.getvalue()


@require_safe
def hsds_dump(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(catalogue_zip(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="catalogo-hsds-{dt.date.today():%Y-%m-%d}.zip"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
