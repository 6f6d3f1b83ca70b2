"""URLs of the parts screens (namespace ``parts``), under /parts/."""

from django.urls import URLPattern, path

from aftersales.parts.views import logistics, reports, requests

app_name = "parts"

urlpatterns: list[URLPattern] = [
    path("", requests.request_list, name="list"),
    path("export.xlsx", requests.export, name="export"),
    path("new/", requests.request_new, name="new"),
    path("requests/<int:pk>/", requests.request_detail, name="detail"),
    path("requests/<int:pk>/act/<slug:action>/", requests.request_action, name="act"),
    path("borrowings/", logistics.borrowings, name="borrowings"),
    path("borrowings/<int:pk>/", logistics.borrowing_detail, name="borrowing"),
    path(
        "borrowings/<int:pk>/act/<slug:action>/", logistics.borrowing_action, name="borrowing_act"
    ),
    path("loading-lists/", logistics.loading_lists, name="loading_lists"),
    path("loading-lists/daily/", logistics.daily_list, name="daily_list"),
    path("loading-lists/<int:pk>/", logistics.loading_list, name="loading_list"),
    path(
        "loading-lists/<int:pk>/act/<slug:action>/",
        logistics.loading_list_action,
        name="loading_list_act",
    ),
    path("closing-runs/", reports.closing_runs, name="closing_runs"),
    path("closing-runs/run/", reports.closing_run_now, name="closing_run_now"),
    path("closing-runs/<int:pk>/", reports.closing_run, name="closing_run"),
    path("analyses/", reports.analyses, name="analyses"),
    path("analyses/prepare/", reports.analysis_prepare, name="analysis_prepare"),
    path("analyses/<int:pk>/", reports.analysis_detail, name="analysis"),
    path("analyses/<int:pk>/act/<slug:action>/", reports.analysis_action, name="analysis_act"),
]
