from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "aftersales.dispatch"
    label = "dispatch"
    verbose_name = "智能派工"

    def ready(self) -> None:
        from aftersales.dispatch import crew_scope

        crew_scope.register()
