from django.apps import AppConfig


class DealersConfig(AppConfig):
    name = "aftersales.dealers"
    label = "dealers"
    verbose_name = "经销商"

    def ready(self) -> None:
        from aftersales.dealers import defaults, roles

        roles.register()
        defaults.register()
