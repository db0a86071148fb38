from django.urls import include, path

from welfare.api import docs as api_docs
from welfare.api import dump as api_dump
from welfare.api.hsds import api as hsds_api
from welfare.api.v1 import api as v1_api

urlpatterns = [
    path("", include("welfare.portal.urls")),
    path("", include("welfare.catalogue.urls")),
    path("", include("welfare.care.urls")),
    path("", include("welfare.assistance.urls")),
    path("", include("welfare.finder.urls")),
    path("", include("welfare.vouchers.urls")),
    path("", include("welfare.delivery.urls")),
    path("", include("welfare.employers.urls")),
    path("", include("welfare.network.urls")),
    path("", include("welfare.family_assistants.urls")),
    path("", include("welfare.outreach.urls")),
    path("", include("welfare.impact.urls")),
    path("area-riservata/", include("welfare.accounts.urls")),
    path("", include("welfare.spid.urls")),
    path("account/", include("allauth.urls")),
    path("api/hsds/docs/", api_docs.hsds_docs, name="api_docs_hsds"),
    path("dati-aperti/catalogo-hsds.zip", api_dump.hsds_dump, name="hsds_dump"),
    path("api/v1/docs/", api_docs.v1_docs, name="api_docs_v1"),
    path("api/hsds/", hsds_api.urls),
    path("api/v1/", v1_api.urls),
]
