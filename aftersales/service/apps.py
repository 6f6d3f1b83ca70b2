from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "aftersales.service"
    label = "service"
    verbose_name = "服务工单"

    def ready(self) -> None:
        from aftersales.service import exports, roles, visibility_scopes  # noqa: F401
        from aftersales.service.services import quote_approval

        visibility_scopes.register()
        roles.register()
        quote_approval.register()
