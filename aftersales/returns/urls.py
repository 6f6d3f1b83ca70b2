"""URLs of the returns screens (namespace ``returns``), under /returns/."""

from django.urls import URLPattern, path

from aftersales.returns import views

app_name = "returns"

urlpatterns: list[URLPattern] = [
    path("", views.return_list, name="list"),
    path("export.xlsx", views.export, name="export"),
    path("new/", views.return_new, name="new"),
    path("<int:pk>/", views.return_detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.return_action, name="act"),
    path("credit-notes/<int:pk>/act/<slug:action>/", views.credit_action, name="credit_act"),
]
