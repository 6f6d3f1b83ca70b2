from django.urls import path

from aftersales.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("suggest/", views.suggest, name="suggest"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/rate/", views.rate, name="rate"),
    path("cases/<int:pk>/move/<slug:action>/", views.case_move, name="case_move"),
    path("import/", views.case_import, name="case_import"),
    path("from-report/<int:report_id>/", views.case_from_report, name="case_from_report"),
]
