from django.apps import AppConfig


class MaintenanceConfig(AppConfig):
    name = "aftersales.maintenance"
    label = "maintenance"
    verbose_name = "巡检与保养"

    def ready(self) -> None:
        from aftersales.maintenance import roles

        roles.register()
