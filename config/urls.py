from django.urls import include, path

urlpatterns = [
    path("", include("welfare.portal.urls")),
    path("area-riservata/", include("welfare.accounts.urls")),
    path("account/", include("allauth.urls")),
]
