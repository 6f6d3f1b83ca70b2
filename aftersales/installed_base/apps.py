from django.apps import AppConfig


class InstalledBaseConfig(AppConfig):
    name = "aftersales.installed_base"
    label = "installed_base"
    verbose_name = "产品与设备"
