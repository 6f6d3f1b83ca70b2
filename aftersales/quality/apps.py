from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "aftersales.quality"
    label = "quality"
    verbose_name = "质量"

    def ready(self) -> None:
        from aftersales.quality import defaults, roles
        from aftersales.quality.services import approval_handlers

        roles.register()
        defaults.register()
        approval_handlers.register()
