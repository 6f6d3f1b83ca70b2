from django.apps import AppConfig


class StockConfig(AppConfig):
    name = "aftersales.stock"
    label = "stock"
    verbose_name = "库存"

    def ready(self) -> None:
        from aftersales.stock import roles, scopes
        from aftersales.stock.services import counts

        roles.register()
        scopes.register()
        counts.register()
