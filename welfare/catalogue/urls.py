from django.urls import path

from welfare.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("servizi/", views.search, name="search"),
    path("servizi/<uuid:service_id>/", views.service_detail, name="service_detail"),
    path("enti/<uuid:organization_id>/", views.organization_detail, name="organization_detail"),
    path("area-riservata/ente/servizi/", views.staff_services, name="staff_services"),
    path("area-riservata/ente/servizi/nuovo/", views.staff_service_new, name="staff_service_new"),
    path("area-riservata/ente/servizi/<uuid:service_id>/", views.staff_service_edit, name="staff_service_edit"),
    path(
        "area-riservata/ente/servizi/<uuid:service_id>/invia/", views.staff_service_submit, name="staff_service_submit"
    ),
    path("area-riservata/ufficio-di-piano/catalogo/", views.moderation_queue, name="moderation_queue"),
    path("area-riservata/ufficio-di-piano/tipologie/", views.admin_terms, name="admin_terms"),
    path("area-riservata/ufficio-di-piano/tipologie/<uuid:term_id>/", views.admin_term, name="admin_term"),
    path(
        "area-riservata/ufficio-di-piano/tipologie/<uuid:term_id>/ritira/",
        views.admin_term_retire,
        name="admin_term_retire",
    ),
    path(
        "area-riservata/ufficio-di-piano/catalogo/<uuid:service_id>/",
        views.moderation_review,
        name="moderation_review",
    ),
]
