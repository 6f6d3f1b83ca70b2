from django.apps import AppConfig


class DealersConfig(AppConfig):
    name = "aftersales.dealers"
    label = "dealers"
    verbose_name = "经销商"
