from django.urls import path

from welfare.assistance import points, views

app_name = "assistance"
urlpatterns = [
    path("area-riservata/social-point/", views.console, name="console"),
    path("area-riservata/social-point/residenti/", views.residents, name="residents"),
    path("area-riservata/social-point/residenti/nuovo/", views.resident_new, name="resident_new"),
    path("area-riservata/social-point/residenti/<int:profile_id>/", views.resident, name="resident"),
    path(
        "area-riservata/social-point/residenti/<int:profile_id>/lettera/",
        views.activation_letter,
        name="activation_letter",
    ),
    path("area-riservata/social-point/colloqui/nuovo/", views.interview_new, name="interview_new"),
    path("area-riservata/social-point/colloqui/<uuid:interview_id>/", views.interview, name="interview"),
    path(
        "area-riservata/social-point/colloqui/<uuid:interview_id>/revoca-consenso/",
        views.interview_consent_withdraw,
        name="interview_consent_withdraw",
    ),
    path("area-riservata/social-point/rettifiche/<uuid:rectification_id>/", views.rectification, name="rectification"),
    path("area-riservata/rettifiche/", views.my_rectifications, name="my_rectifications"),
    path("area-riservata/social-point/agenda/", views.agenda, name="agenda"),
    path("area-riservata/social-point/agenda/accesso-libero/", views.walk_in, name="walk_in"),
    path("area-riservata/social-point/agenda/prenota/", views.book_for, name="book_for"),
    path(
        "area-riservata/social-point/appuntamenti/<uuid:appointment_id>/<slug:action>/",
        views.appointment_action,
        name="appointment_action",
    ),
    path("area-riservata/ufficio-di-piano/social-point/", points.points, name="points"),
    path("area-riservata/ufficio-di-piano/social-point/nuovo/", points.point_new, name="point_new"),
    path("area-riservata/ufficio-di-piano/social-point/<slug:slug>/", points.point_edit, name="point_edit"),
    path("area-riservata/ufficio-di-piano/social-point/<slug:slug>/apertura/", points.point_open, name="point_open"),
    path("area-riservata/social-point/<slug:slug>/orari/", points.point_hours, name="point_hours"),
    path(
        "area-riservata/social-point/<slug:slug>/orari/<int:exception_id>/elimina/",
        points.point_exception_remove,
        name="point_exception_remove",
    ),
    path("area-riservata/social-point/<slug:slug>/avviso/", points.point_notes, name="point_notes"),
    path("area-riservata/colloqui/", views.my_interviews, name="my_interviews"),
    path("area-riservata/colloqui/<uuid:interview_id>/", views.my_interview, name="my_interview"),
    path(
        "area-riservata/colloqui/<uuid:interview_id>/ritira-consenso/",
        views.my_consent_withdraw,
        name="my_consent_withdraw",
    ),
    path("social-point/<slug:slug>/prenota/", views.book, name="book"),
    path("social-point/prenotazione/<uuid:appointment_id>/", views.booking_done, name="booking_done"),
    path(
        "social-point/prenotazione/<uuid:appointment_id>/conferma/<str:token>/",
        views.booking_confirm,
        name="booking_confirm",
    ),
]
