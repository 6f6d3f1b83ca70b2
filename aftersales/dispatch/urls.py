"""URLs of the dispatcher's planning screen, in the ``dispatch`` namespace under /dispatch/."""

from django.urls import URLPattern, URLResolver, path

from aftersales.dispatch import views

app_name = "dispatch"

urlpatterns: list[URLPattern | URLResolver] = [
    path("plan/", views.plan_page, name="plan"),
    path("plan/solve/", views.plan_solve, name="solve"),
    path("plan/<int:pk>/body/", views.plan_body, name="body"),
    path("plan/<int:pk>/move/", views.plan_move, name="move"),
    path("plan/<int:pk>/publish/", views.plan_publish, name="publish"),
    path("plan/<int:pk>/replan/", views.plan_replan, name="replan"),
]
