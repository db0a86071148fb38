from django.urls import path

from welfare.vouchers import views

app_name = "vouchers"
ADMIN = "area-riservata/ufficio-di-piano"
urlpatterns = [
    path("voucher/", views.programmes, name="programmes"),
    path("voucher/verifica/", views.verify, name="verify"),
    path("voucher/<slug:slug>/", views.programme, name="programme"),
    path("voucher/<slug:slug>/graduatoria/<str:istat_code>/", views.public_ranking, name="public_ranking"),
    path("voucher/<slug:slug>/domanda/", views.apply, name="apply"),
    path("area-riservata/voucher/", views.mine, name="mine"),
    path("area-riservata/voucher/domande/<uuid:application_id>/", views.application, name="application"),
    path(
        "area-riservata/voucher/domande/<uuid:application_id>/documenti/",
        views.application_document_add,
        name="application_document_add",
    ),
    path(
        "area-riservata/voucher/domande/<uuid:application_id>/ritira/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "area-riservata/voucher/documenti/<uuid:document_id>/", views.application_document, name="application_document"
    ),
    path("area-riservata/voucher/<uuid:voucher_id>/", views.voucher, name="voucher"),
    path("area-riservata/voucher/<uuid:voucher_id>/pdf/", views.voucher_pdf, name="voucher_pdf"),
    # The municipal social worker
    path("area-riservata/assistente-sociale/domande/", views.assessment_queue, name="assessment_queue"),
    path("area-riservata/assistente-sociale/domande/<uuid:application_id>/", views.assessment, name="assessment"),
    # The planning office
    path(f"{ADMIN}/programmi/", views.admin_programmes, name="admin_programmes"),
    path(f"{ADMIN}/programmi/nuovo/", views.admin_programme_new, name="admin_programme_new"),
    path(f"{ADMIN}/programmi/<uuid:programme_id>/", views.admin_programme, name="admin_programme"),
    path(f"{ADMIN}/programmi/<uuid:programme_id>/modifica/", views.admin_programme_edit, name="admin_programme_edit"),
    path(
        f"{ADMIN}/programmi/<uuid:programme_id>/pubblica/",
        views.admin_programme_publish,
        name="admin_programme_publish",
    ),
    path(
        f"{ADMIN}/programmi/<uuid:programme_id>/voucher.<str:fmt>",
        views.admin_vouchers_export,
        name="admin_vouchers_export",
    ),
    path(
        f"{ADMIN}/programmi/<uuid:programme_id>/graduatoria/<str:istat_code>/",
        views.admin_ranking,
        name="admin_ranking",
    ),
    path(
        f"{ADMIN}/programmi/<uuid:programme_id>/graduatoria/<str:istat_code>/export.<str:fmt>",
        views.admin_ranking_export,
        name="admin_ranking_export",
    ),
    path(
        f"{ADMIN}/programmi/<uuid:programme_id>/graduatoria/<str:istat_code>/<slug:action>/",
        views.admin_ranking_action,
        name="admin_ranking_action",
    ),
    path(f"{ADMIN}/voucher/<uuid:voucher_id>/annulla/", views.admin_voucher_cancel, name="admin_voucher_cancel"),
    path(f"{ADMIN}/accreditamento/", views.admin_calls, name="admin_calls"),
    path(f"{ADMIN}/accreditamento/<uuid:call_id>/", views.admin_call, name="admin_call"),
    path(
        f"{ADMIN}/accreditamento/domande/<uuid:accreditation_id>/",
        views.admin_accreditation,
        name="admin_accreditation",
    ),
    # Providers
    path("area-riservata/ente/accreditamento/", views.provider_accreditations, name="provider_accreditations"),
    path(
        "area-riservata/ente/accreditamento/<uuid:call_id>/",
        views.provider_accreditation_apply,
        name="provider_accreditation_apply",
    ),
]
