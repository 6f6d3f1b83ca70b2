from django.apps import AppConfig


class MaintenanceConfig(AppConfig):
    name = "aftersales.maintenance"
    label = "maintenance"
    verbose_name = "巡检与保养"

    def ready(self) -> None:
        from django.db.models import Q

        from aftersales.core.visibility import register_technician_scope
        from aftersales.maintenance import roles

        roles.register()
        # a co-engineer of a done inspection sees it (and its report) like the lead
        register_technician_scope("maintenance.maintenancevisit", lambda u: Q(co_engineers=u))
