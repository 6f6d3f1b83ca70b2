from django.urls import URLPattern, path

from aftersales.approvals import views

app_name = "approvals"

urlpatterns: list[URLPattern] = [
    path("", views.inbox, name="inbox"),
    path("tasks/<int:pk>/decide/", views.decide, name="decide"),
]
