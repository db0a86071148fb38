from django.urls import path

from welfare.accounts import views
from welfare.accounts.models import Role

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("profilo/", views.profile, name="profile"),
    path("famiglia/", views.household, name="household"),
    path("token/", views.api_tokens, name="api_tokens"),
    path("token/<int:token_id>/revoca/", views.api_token_revoke, name="api_token_revoke"),
    path("famiglia/<int:member_id>/rimuovi/", views.household_remove, name="household_remove"),
    path("deleghe/", views.delegations, name="delegations"),
    path("deleghe/<int:delegation_id>/revoca/", views.delegation_revoke, name="delegation_revoke"),
    path("per-conto-di/", views.act_for, name="act_for"),
    path("per-conto-di/fine/", views.act_stop, name="act_stop"),
    path("attiva/", views.take_over, name="take_over"),
    path("ente/", views.dashboard, {"role": Role.PROVIDER_STAFF}, name="provider_dashboard"),
    path("servizi-sociali/", views.dashboard, {"role": Role.SOCIAL_WORKER}, name="social_worker_dashboard"),
    path("ufficio-di-piano/", views.dashboard, {"role": Role.DISTRICT_ADMIN}, name="district_dashboard"),
    path("welfare-aziendale/", views.dashboard, {"role": Role.EMPLOYER_HR}, name="employer_dashboard"),
]
