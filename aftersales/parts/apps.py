from django.apps import AppConfig


class PartsConfig(AppConfig):
    name = "aftersales.parts"
    label = "parts"
    verbose_name = "补件"

    def ready(self) -> None:
        from aftersales.parts import roles
        from aftersales.parts.services import approval_handlers

        roles.register()
        approval_handlers.register()
