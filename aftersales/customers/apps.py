from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "aftersales.customers"
    label = "customers"
    verbose_name = "客户与项目"
