"""URLs of the stock screens (namespace ``stock``), under /stock/."""

from django.urls import URLPattern, path

from aftersales.stock import views

app_name = "stock"

urlpatterns: list[URLPattern] = [
    path("", views.stock_list, name="list"),
    path("bins/labels/", views.bin_labels, name="bin_labels"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export, name="export"),
    path("import/", views.opening_import, name="import"),
    path("movements/", views.movement_list, name="movements"),
    path("movements/<int:pk>/", views.movement_detail, name="movement"),
    path("movements/<int:pk>/pick/", views.pick_list, name="pick"),
    path("shortages/", views.shortage_list, name="shortages"),
    path("shortages/<int:pk>/replenish/", views.shortage_replenish, name="replenish"),
    path("loaners/", views.loaner_board, name="loaners"),
    path("loaners/lend/", views.loan_lend, name="lend"),
    path("loans/<int:pk>/return/", views.loan_return, name="loan_return"),
    path("loans/<int:pk>/inspect/", views.loan_inspect, name="loan_inspect"),
    path("loaners/<int:pk>/repaired/", views.loaner_repaired, name="loaner_repaired"),
    path("counts/", views.count_list, name="counts"),
    path("counts/open/", views.count_open, name="count_open"),
    path("counts/<int:pk>/", views.count_detail, name="count"),
    path("counts/<int:pk>/enter/", views.count_enter, name="count_enter"),
    path("counts/<int:pk>/found/", views.count_found, name="count_found"),
    path("counts/<int:pk>/submit/", views.count_submit, name="count_submit"),
    path("counts/<int:pk>/cancel/", views.count_cancel, name="count_cancel"),
    path("slow/", views.slow_list, name="slow"),
    path("minimums/", views.minimum_list, name="minimums"),
    path("minimums/<int:pk>/replenish/", views.minimum_replenish, name="minimum_replenish"),
]
