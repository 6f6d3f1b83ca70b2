from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "aftersales.reports"
    label = "reports"
    verbose_name = "报表"

    def ready(self) -> None:
        from aftersales.reports import panels, roles

        roles.register()
        panels.register_all()
