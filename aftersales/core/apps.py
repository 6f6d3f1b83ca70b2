from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aftersales.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from aftersales.core.guards import on_pre_save

        pre_save.connect(on_pre_save, dispatch_uid="core.text_guard")

        from aftersales.core.i18n import translate_choice_labels

        translate_choice_labels()

        from aftersales.core.said import install_template_saying

        install_template_saying()
