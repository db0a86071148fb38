from django.urls import path

from welfare.family_assistants import views

app_name = "family_assistants"
ME = "area-riservata/assistente-familiare/"
DESK = "area-riservata/social-point/"
OFFICE = "area-riservata/ufficio-di-piano/assistenti-familiari/"
urlpatterns = [
    path("assistenza-familiare/", views.info, name="info"),
    path("assistenza-familiare/costo/", views.simulator, name="simulator"),
    # The assistant
    path(ME, views.mine, name="mine"),
    path(f"{ME}dati/", views.apply, name="apply"),
    path(f"{ME}corsi/nuovo/", views.training_new, name="training_new"),
    path(f"{ME}corsi/<int:training_id>/elimina/", views.training_remove, name="training_remove"),
    path(f"{ME}corsi/<int:training_id>/attestato/", views.certificate, name="certificate"),
    path(f"{ME}esperienze/nuova/", views.experience_new, name="experience_new"),
    path(f"{ME}esperienze/<int:experience_id>/elimina/", views.experience_remove, name="experience_remove"),
    path(f"{ME}proposte/<uuid:proposal_id>/", views.proposal, name="proposal"),
    path(f"{ME}iscrizione/<slug:action>/", views.listing_action, name="listing_action"),
    path("area-riservata/assistenza-familiare/andamento/<uuid:need_id>/", views.follow_up, name="follow_up"),
    # The family
    path("area-riservata/assistenza-familiare/", views.my_needs, name="my_needs"),
    path("area-riservata/assistenza-familiare/<uuid:need_id>/", views.my_need, name="my_need"),
    # The desk
    path(f"{DESK}assistenti-familiari/", views.register, name="register"),
    path(f"{DESK}assistenti-familiari/<uuid:listing_id>/", views.listing, name="listing"),
    path(f"{DESK}residenti/<int:profile_id>/assistente-familiare/", views.need_new, name="need_new"),
    path(f"{DESK}ricerche-assistente/", views.needs, name="needs"),
    path(f"{DESK}ricerche-assistente/<uuid:need_id>/", views.need, name="need"),
    path(f"{DESK}ricerche-assistente/<uuid:need_id>/esito/", views.need_outcome, name="need_outcome"),
    # The planning office
    path(f"{OFFICE}requisiti/", views.admin_requirements, name="admin_requirements"),
    path(f"{OFFICE}tabelle/", views.admin_tables, name="admin_tables"),
    path(f"{OFFICE}tabelle/<int:year>/", views.admin_table, name="admin_table"),
    path(f"{OFFICE}guida/", views.admin_guide, name="admin_guide"),
    path(f"{OFFICE}guida/<int:entry_id>/", views.admin_guide_entry, name="admin_guide_entry"),
]
