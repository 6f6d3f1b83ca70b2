"""URLs of the workbench (namespace ``workbench``): the panel fragments under /workbench/;
the page itself is the landing page ``/`` (``web:home``)."""

from django.urls import URLPattern, path

from aftersales.workbench import views

app_name = "workbench"

urlpatterns: list[URLPattern] = [
    path("panels/<slug:code>/", views.panel, name="panel"),
]
