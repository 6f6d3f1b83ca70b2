from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "aftersales.returns"
    label = "returns"
    verbose_name = "退货"

    def ready(self) -> None:
        from aftersales.returns import roles
        from aftersales.returns.services import approval_handlers

        roles.register()
        approval_handlers.register()
