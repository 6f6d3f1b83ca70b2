"""URLs of the charges screens (namespace ``charges``), under /charges/."""

from django.urls import URLPattern, path

from aftersales.charges import views

app_name = "charges"

urlpatterns: list[URLPattern] = [
    path("receipts/", views.receipt_list, name="receipts"),
    path("receipts/<int:pk>/pdf/", views.receipt_pdf, name="receipt_pdf"),
    path("receipts/<int:pk>/reverse/", views.receipt_reverse, name="receipt_reverse"),
    path("quotes/<int:pk>/pay/", views.quote_pay, name="quote_pay"),
    path("expenses/", views.expense_list, name="expenses"),
    path("expenses/new/", views.expense_new, name="expense_new"),
    path("expenses/<int:pk>/", views.expense_detail, name="expense"),
    path("expenses/<int:pk>/act/<slug:action>/", views.expense_action, name="expense_act"),
]
