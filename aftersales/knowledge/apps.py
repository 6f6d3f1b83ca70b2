from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "aftersales.knowledge"
    label = "knowledge"
    verbose_name = "知识库"

    def ready(self) -> None:
        from aftersales.knowledge import roles

        roles.register()
