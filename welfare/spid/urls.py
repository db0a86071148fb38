from django.urls import path, re_path

from welfare.spid import views
from welfare.spid.test_idp import PATH as TEST_IDP_PATH

FEDERATION = r"^(?P<federation>spid|cie)"

app_name = "spid"
urlpatterns = [
    re_path(rf"{FEDERATION}/metadata/$", views.metadata, name="metadata"),
    re_path(rf"{FEDERATION}/login/$", views.login, name="login"),
    re_path(rf"{FEDERATION}/acs/$", views.acs, name="acs"),
    re_path(rf"{FEDERATION}/ls/$", views.single_logout, name="logout"),
    path("identita-digitale/collega/", views.confirm, name="confirm"),
    path("identita-digitale/registrazione/", views.register, name="register"),
    path("identita-digitale/riapri/", views.reopen, name="reopen"),
    path(f"{TEST_IDP_PATH.strip('/')}/sso/", views.test_idp_sso, name="test_idp_sso"),
    path(f"{TEST_IDP_PATH.strip('/')}/", views.test_idp_metadata, name="test_idp_metadata"),
]
