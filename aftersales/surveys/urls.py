"""URLs of the survey screens (namespace ``surveys``): staff pages under /surveys/, the
public answer page /survey/<token>/ (see aftersales/urls.py)."""

from django.urls import URLPattern, path

from aftersales.surveys import views

app_name = "surveys"

urlpatterns: list[URLPattern] = [
    path("", views.survey_list, name="list"),
    path("<int:pk>/send/", views.survey_send, name="send"),
    path("<int:pk>/results/", views.survey_results, name="results"),
]

public_urlpatterns: list[URLPattern] = [
    path("survey/<str:token>/", views.survey_answer, name="answer"),
]
