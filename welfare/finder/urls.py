from django.urls import path

from welfare.finder import views

app_name = "finder"
urlpatterns = [
    path("trova-aiuto/", views.finder, name="finder"),
    path("trova-aiuto/riepilogo.pdf", views.summary_pdf, name="summary_pdf"),
    path("area-riservata/ufficio-di-piano/trova-aiuto/", views.rules, name="rules"),
    path("area-riservata/ufficio-di-piano/trova-aiuto/nuova/", views.rule_edit, name="rule_new"),
    path("area-riservata/ufficio-di-piano/trova-aiuto/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path(
        "area-riservata/social-point/colloqui/<uuid:interview_id>/trova-aiuto/",
        views.interview_finder,
        name="interview_finder",
    ),
]
