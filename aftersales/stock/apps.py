from django.apps import AppConfig


class StockConfig(AppConfig):
    name = "aftersales.stock"
    label = "stock"
    verbose_name = "库存"

    def ready(self) -> None:
        from aftersales.stock import defaults, roles, scopes
        from aftersales.stock.services import counts

        roles.register()
        defaults.register()
        scopes.register()
        counts.register()
