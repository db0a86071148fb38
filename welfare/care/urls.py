from django.urls import path

from welfare.care import views

app_name = "care"
urlpatterns = [
    path("servizi/<uuid:service_id>/richiedi/", views.request_new, name="request_new"),
    path("area-riservata/richieste/<uuid:request_id>/", views.citizen_request, name="citizen_request"),
    path("area-riservata/richieste/<uuid:request_id>/messaggi/", views.citizen_message, name="citizen_message"),
    path("area-riservata/richieste/<uuid:request_id>/recensione/", views.review, name="review"),
    path(
        "area-riservata/richieste/<uuid:request_id>/<slug:action>/",
        views.citizen_request_action,
        name="citizen_request_action",
    ),
    path("area-riservata/documenti/<uuid:attachment_id>/", views.attachment, name="attachment"),
    path("reclami/nuovo/", views.complaint_new, name="complaint_new"),
    path("area-riservata/reclami/", views.my_complaints, name="my_complaints"),
    path("area-riservata/ente/reclami/", views.provider_complaints, name="provider_complaints"),
    path("area-riservata/ente/reclami/<uuid:complaint_id>/", views.provider_complaint, name="provider_complaint"),
    path("area-riservata/ufficio-di-piano/reclami/", views.admin_complaints, name="admin_complaints"),
    path("area-riservata/ente/richieste/", views.provider_inbox, name="provider_inbox"),
    path("area-riservata/ente/richieste/<uuid:request_id>/", views.provider_request, name="provider_request"),
    path("area-riservata/ente/richieste/<uuid:request_id>/messaggi/", views.provider_message, name="provider_message"),
    path("area-riservata/ente/richieste/<uuid:request_id>/recensione/", views.review_reply, name="review_reply"),
    path("area-riservata/ufficio-di-piano/recensioni/", views.reviews_moderation, name="reviews_moderation"),
    path("area-riservata/ufficio-di-piano/recensioni/<uuid:review_id>/", views.review_hide, name="review_hide"),
    path(
        "area-riservata/ente/richieste/<uuid:request_id>/<slug:action>/",
        views.provider_request_action,
        name="provider_request_action",
    ),
]
