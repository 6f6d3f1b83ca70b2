"""URLs of the dealer-domain screens (namespace ``dealers``), under /dealers/."""

from django.urls import URLPattern, path

from aftersales.dealers import views, views_plans, views_ratings

app_name = "dealers"

urlpatterns: list[URLPattern] = [
    path("cards/", views.card_list, name="cards"),
    path("cards/register/", views.card_register, name="card_register"),
    path("cards/import/", views.card_import, name="card_import"),
    path("cards/template.xlsx", views.card_template, name="card_template"),
    path("cards/export.xlsx", views.card_export, name="card_export"),
    path("cards/<int:pk>/receive/", views.card_receive, name="card_receive"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/act/<slug:action>/", views.task_action, name="task_act"),
    path("claims/", views.claim_list, name="claims"),
    path("claims/new/", views.claim_new, name="claim_new"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/appraise/", views.claim_appraise, name="claim_appraise"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/act/<slug:action>/", views.notice_action, name="notice_act"),
    path("ledger/", views.ledger, name="ledger"),
    path("stocking/", views_plans.plan_list, name="stocking"),
    path("stocking/seasons/new/", views_plans.season_new, name="season_new"),
    path("stocking/start/", views_plans.plan_start, name="stocking_start"),
    path("stocking/<int:pk>/", views_plans.plan_detail, name="stocking_plan"),
    path("stocking/<int:pk>/lines/", views_plans.plan_lines, name="stocking_lines"),
    path("stocking/<int:pk>/review/", views_plans.plan_review, name="stocking_review"),
    path("ratings/", views_ratings.rating_list, name="ratings"),
    path("ratings/freeze/", views_ratings.rating_freeze, name="rating_freeze"),
    path("ratings/<int:pk>/", views_ratings.rating_detail, name="rating"),
]
