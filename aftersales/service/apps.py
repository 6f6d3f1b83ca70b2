from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "aftersales.service"
    label = "service"
    verbose_name = "服务工单"

    def ready(self) -> None:
        from aftersales.service import roles, visibility_scopes

        visibility_scopes.register()
        roles.register()

        from django.db.models.signals import m2m_changed, post_delete, post_save

        from aftersales.core.models import Region
        from aftersales.service.services.clocks import invalidate_caches
        from aftersales.sla.models import SlaPolicy, SlaRegionalTarget, SlaTarget
        from aftersales.staff.models import StaffProfile

        for model in (SlaPolicy, SlaTarget, SlaRegionalTarget, StaffProfile, Region):
            post_save.connect(invalidate_caches, sender=model, weak=False)
            post_delete.connect(invalidate_caches, sender=model, weak=False)
        m2m_changed.connect(invalidate_caches, sender=Region.neighbours.through, weak=False)
