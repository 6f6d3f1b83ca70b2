"""URLs of the stock screens (namespace ``stock``), under /stock/."""

from django.urls import URLPattern, path

from aftersales.stock import views

app_name = "stock"

urlpatterns: list[URLPattern] = [
    path("", views.stock_list, name="list"),
    path("movements/", views.movement_list, name="movements"),
    path("movements/<int:pk>/", views.movement_detail, name="movement"),
    path("shortages/", views.shortage_list, name="shortages"),
    path("shortages/<int:pk>/replenish/", views.shortage_replenish, name="replenish"),
]
