from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "aftersales.staff"
    label = "staff"
    verbose_name = "人员与排班"

    def ready(self) -> None:
        from aftersales.staff import report

        report.register_panel()
