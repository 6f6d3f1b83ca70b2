"""URLs of the quality screens (namespace ``quality``), under /quality/."""

from django.urls import URLPattern, path

from aftersales.quality import views

app_name = "quality"

urlpatterns: list[URLPattern] = [
    path("complaints/", views.complaint_list, name="list"),
    path("complaints/export.xlsx", views.export, name="export"),
    path("complaints/new/", views.complaint_new, name="new"),
    path("complaints/<int:pk>/", views.complaint_detail, name="detail"),
    path("complaints/<int:pk>/act/<slug:action>/", views.complaint_action, name="act"),
]
