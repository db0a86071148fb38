from django.urls import include, path

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
    path("", include("welfare.outreach.urls")),
    path("", include("welfare.impact.urls")),
    path("area-riservata/", include("welfare.accounts.urls")),
    path("account/", include("allauth.urls")),
    path("api/hsds/", hsds_api.urls),
    path("api/v1/", v1_api.urls),
]
