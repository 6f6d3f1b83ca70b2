from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "aftersales.staff"
    label = "staff"
    verbose_name = "人员与排班"
