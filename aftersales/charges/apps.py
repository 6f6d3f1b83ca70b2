from django.apps import AppConfig


class ChargesConfig(AppConfig):
    name = "aftersales.charges"
    label = "charges"
    verbose_name = "收费与费用"

    def ready(self) -> None:
        from aftersales.charges import roles
        from aftersales.charges.services import approval_handlers

        roles.register()
        approval_handlers.register()
