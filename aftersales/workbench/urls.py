"""URLs of the workbench (namespace ``workbench``): the panel fragments under /workbench/;
the page itself is the landing page ``/`` (``web:home``)."""

from django.urls import URLPattern, path

from aftersales.workbench import views

app_name = "workbench"

urlpatterns: list[URLPattern] = [
    path("panels/<slug:code>/", views.panel, name="panel"),
    path("export/<slug:kind>.xlsx", views.export, name="export"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
