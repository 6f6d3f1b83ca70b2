from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "aftersales.approvals"
    label = "approvals"
    verbose_name = "审批与时限"

    def ready(self) -> None:
        from aftersales.approvals import roles

        roles.register()
