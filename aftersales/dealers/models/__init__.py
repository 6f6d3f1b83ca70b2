from aftersales.dealers.models.card import WarrantyCard
from aftersales.dealers.models.dealer import Dealer

__all__ = ["Dealer", "WarrantyCard"]
