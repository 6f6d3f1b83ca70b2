from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "aftersales.surveys"
    label = "surveys"
    verbose_name = "满意度调查"

    def ready(self) -> None:
        from aftersales.surveys import report, roles

        roles.register()
        report.register_panel()
