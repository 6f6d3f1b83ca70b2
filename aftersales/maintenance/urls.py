"""URLs of the maintenance screens (namespace ``maintenance``), under /maintenance/."""

from django.urls import URLPattern, path

from aftersales.maintenance import portal_views, views

app_name = "maintenance"

urlpatterns: list[URLPattern] = [
    path("", views.plan_list, name="plans"),
    path("plans/new/", views.plan_edit, name="plan_new"),
    path("plans/preview/", views.plan_preview, name="plan_preview"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("visits/", views.visit_list, name="visits"),
    path("contracts/<int:pk>/", views.contract_coverage, name="contract_coverage"),
    path("board/", views.board, name="board"),
    path("results.xlsx", views.results_export, name="results_export"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("visits/<int:pk>/act/<slug:action>/", views.visit_action, name="visit_act"),
    path("portal/", portal_views.portal_home, name="portal"),
    path("portal/plans/<int:pk>/", portal_views.portal_plan, name="portal_plan"),
    path("portal/visits/<int:pk>/", portal_views.portal_visit, name="portal_visit"),
]
