from django.urls import path

from welfare.network import views

app_name = "network"
urlpatterns = [
    path("area-riservata/persone/", views.people, name="people"),
    path("area-riservata/persone/ruoli/<int:membership_id>/revoca/", views.membership_revoke, name="membership_revoke"),
    path("area-riservata/persone/<int:person_id>/attivazione/", views.person_active, name="person_active"),
    path("rete/candidatura/", views.apply, name="apply"),
    path("rete/candidatura/<uuid:application_id>/<str:token>/", views.application, name="application"),
    path("area-riservata/ufficio-di-piano/candidature/", views.applications, name="applications"),
    path("area-riservata/ufficio-di-piano/candidature/comune/", views.municipal_services, name="municipal_services"),
    path(
        "area-riservata/ufficio-di-piano/candidature/<uuid:application_id>/",
        views.application_review,
        name="application_review",
    ),
]
