from django.urls import path

from welfare.outreach import views

app_name = "outreach"
OFFICE = "area-riservata/ufficio-di-piano"
urlpatterns = [
    path("area-riservata/lista-di-lavoro/", views.tasks, name="tasks"),
    path("area-riservata/lista-di-lavoro/<uuid:task_id>/", views.task, name="task"),
    path(f"{OFFICE}/segnali/", views.rules, name="rules"),
    path(f"{OFFICE}/segnali/<int:rule_id>/", views.rule, name="rule"),
    path(f"{OFFICE}/campagne/", views.campaigns, name="campaigns"),
    path(f"{OFFICE}/campagne/<uuid:campaign_id>/", views.campaign, name="campaign"),
    path(f"{OFFICE}/ondata-di-calore/", views.heat, name="heat"),
    path("area-riservata/social-point/lettere/", views.letters, name="letters"),
    path("area-riservata/social-point/lettere/lettere.pdf", views.letters_pdf, name="letters_pdf"),
    path("segnala/", views.report, name="report"),
    path("area-riservata/chiamatemi/", views.call_me, name="call_me"),
]
