"""URLs of the reports (namespace ``reports``), under /reports/."""

from django.urls import URLPattern, path

from aftersales.reports import views

app_name = "reports"

urlpatterns: list[URLPattern] = [
    path("", views.board, name="board"),
    path("export/<slug:key>.xlsx", views.export, name="export"),
    path("packs/", views.packs, name="packs"),
    path("packs/generate/", views.pack_generate, name="pack_generate"),
    path("packs/<int:pk>/<slug:kind>/", views.pack_file, name="pack_file"),
]
