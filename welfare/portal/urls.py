from django.urls import path

from welfare.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("social-point/", views.social_points, name="social_points"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibilita/", views.accessibility, name="accessibility"),
    path("lingua/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/web", views.healthz_web, name="healthz_web"),
    path("area-riservata/richieste/", views.timeline, name="timeline"),
    path("area-riservata/ufficio-di-piano/ambito/", views.district_details, name="district_details"),
    path("area-riservata/ufficio-di-piano/ambito/logo/", views.district_logo_upload, name="district_logo_upload"),
    path("logo/<slug:digest>/", views.district_logo, name="district_logo"),
    path("guide-e-notizie/", views.pages, name="pages"),
    path("guide-e-notizie/<slug:slug>/", views.page, name="page"),
    path("area-riservata/ufficio-di-piano/pagine/", views.admin_pages, name="admin_pages"),
    path("area-riservata/ufficio-di-piano/pagine/nuova/", views.admin_page_new, name="admin_page_new"),
    path("area-riservata/ufficio-di-piano/pagine/<int:page_id>/", views.admin_page, name="admin_page"),
    path(
        "area-riservata/ufficio-di-piano/pagine/<int:page_id>/pubblica/",
        views.admin_page_publish,
        name="admin_page_publish",
    ),
    path("area-riservata/i-miei-dati/", views.my_data, name="my_data"),
    path("area-riservata/consensi/", views.consents, name="consents"),
    path("area-riservata/chiudi-account/", views.close_account, name="close_account"),
    path("area-riservata/i-miei-dati/<uuid:export_id>/", views.my_data_download, name="my_data_download"),
]
