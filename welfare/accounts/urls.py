from django.urls import path

from welfare.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("profilo/", views.profile, name="profile"),
    path("famiglia/", views.household, name="household"),
    path("token/", views.api_tokens, name="api_tokens"),
    path("token/<int:token_id>/revoca/", views.api_token_revoke, name="api_token_revoke"),
    path("famiglia/<int:member_id>/rimuovi/", views.household_remove, name="household_remove"),
    path("operatore/", views.operator_dashboard, name="operator_dashboard"),
    path("ente/", views.provider_dashboard, name="provider_dashboard"),
    path("servizi-sociali/", views.social_worker_dashboard, name="social_worker_dashboard"),
    path("ufficio-di-piano/", views.district_dashboard, name="district_dashboard"),
    path("welfare-aziendale/", views.employer_dashboard, name="employer_dashboard"),
]
