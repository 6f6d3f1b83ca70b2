from django.apps import AppConfig


class BizcalendarConfig(AppConfig):
    name = "aftersales.bizcalendar"
    label = "bizcalendar"
    verbose_name = "工作日历"
