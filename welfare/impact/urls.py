from django.urls import path

from welfare.impact import views

app_name = "impact"
urlpatterns = [
    path("area-riservata/dati/", views.dashboard, name="dashboard"),
    path("area-riservata/dati/<slug:key>.<str:extension>", views.export, name="export"),
    path("dati-aperti/", views.open_data, name="open_data"),
    path("dati-aperti/dati.json", views.open_data_json, name="open_data_json"),
    path("dati-aperti/<slug:key>.csv", views.open_data_csv, name="open_data_csv"),
]
