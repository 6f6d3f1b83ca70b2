"""URLs of the dealer-domain screens (namespace ``dealers``), under /dealers/."""

from django.urls import URLPattern, path

from aftersales.dealers import views

app_name = "dealers"

urlpatterns: list[URLPattern] = [
    path("cards/", views.card_list, name="cards"),
    path("cards/register/", views.card_register, name="card_register"),
    path("cards/import/", views.card_import, name="card_import"),
    path("cards/template.xlsx", views.card_template, name="card_template"),
    path("cards/export.xlsx", views.card_export, name="card_export"),
    path("cards/<int:pk>/receive/", views.card_receive, name="card_receive"),
]
