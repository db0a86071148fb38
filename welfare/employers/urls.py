from django.urls import path

from welfare.employers import views

app_name = "employers"
OFFICER = "area-riservata/welfare-aziendale/<int:employer_id>"
urlpatterns = [
    path("area-riservata/il-mio-welfare/", views.wallets, name="wallets"),
    path("area-riservata/il-mio-welfare/rimborsi/nuovo/", views.claim_new, name="claim_new"),
    path(f"{OFFICER}/", views.officer_home, name="officer_home"),
    path(f"{OFFICER}/dipendenti/", views.officer_employees, name="officer_employees"),
    path(f"{OFFICER}/dipendenti/modello.csv", views.officer_roster_template, name="officer_roster_template"),
    path(f"{OFFICER}/dipendenti/<int:employee_id>/cessa/", views.officer_employee_end, name="officer_employee_end"),
    path(f"{OFFICER}/piani/", views.officer_plans, name="officer_plans"),
    path(f"{OFFICER}/piani/<uuid:plan_id>/", views.officer_plan, name="officer_plan"),
    path(f"{OFFICER}/rimborsi/", views.officer_claims, name="officer_claims"),
    path(f"{OFFICER}/rimborsi/<uuid:claim_id>/", views.officer_claim, name="officer_claim"),
    path(f"{OFFICER}/rimborsi/<uuid:claim_id>/<str:which>/", views.officer_claim_file, name="officer_claim_file"),
    path(f"{OFFICER}/cedolini/", views.officer_payroll, name="officer_payroll"),
    path(f"{OFFICER}/cedolini/<str:month>.csv", views.officer_payroll_csv, name="officer_payroll_csv"),
    path("area-riservata/ufficio-di-piano/aziende/", views.admin_employers, name="admin_employers"),
    path("area-riservata/ufficio-di-piano/aziende/<int:employer_id>/", views.admin_employer, name="admin_employer"),
]
