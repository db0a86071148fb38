from django.urls import path

from welfare.delivery import views

app_name = "delivery"
urlpatterns = [
    path("area-riservata/ente/registro/<uuid:request_id>/", views.provider_sessions, name="provider_sessions"),
    path("area-riservata/ente/prestazioni/<uuid:session_id>/correggi/", views.session_correct, name="session_correct"),
    path(
        "area-riservata/ente/prestazioni/<uuid:session_id>/<slug:action>/",
        views.provider_session_action,
        name="provider_session_action",
    ),
    path("area-riservata/ente/rendiconti/", views.provider_statements, name="provider_statements"),
    path("area-riservata/ente/rendiconti/<uuid:statement_id>/", views.provider_statement, name="provider_statement"),
    path(
        "area-riservata/rendiconti/<uuid:statement_id>/export.<str:fmt>",
        views.statement_export,
        name="statement_export",
    ),
    path(
        "area-riservata/prestazioni/<uuid:session_id>/<slug:action>/",
        views.citizen_session_action,
        name="citizen_session_action",
    ),
    path("area-riservata/ufficio-di-piano/rendiconti/", views.admin_statements, name="admin_statements"),
    path(
        "area-riservata/ufficio-di-piano/rendiconti/<uuid:statement_id>/",
        views.admin_statement,
        name="admin_statement",
    ),
]
