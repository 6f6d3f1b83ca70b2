from aftersales.service.models.callback import Callback, CallbackPlan
from aftersales.service.models.clock import SlaClock, TicketPause
from aftersales.service.models.factory import FactoryRepair, FactoryRepairState
from aftersales.service.models.quote import Quote, QuoteLine
from aftersales.service.models.report import ReportPart, ReportPhoto, ServiceReport
from aftersales.service.models.ticket import (
    Channel,
    LoanerTask,
    Ticket,
    TicketState,
    TicketType,
    WarrantyRecord,
)
from aftersales.service.models.work import WorkOrder, WorkOrderOffer, WorkOrderState

__all__ = [
    "Callback",
    "CallbackPlan",
    "Channel",
    "FactoryRepair",
    "FactoryRepairState",
    "LoanerTask",
    "Quote",
    "QuoteLine",
    "ReportPart",
    "ReportPhoto",
    "ServiceReport",
    "SlaClock",
    "Ticket",
    "TicketPause",
    "TicketState",
    "TicketType",
    "WarrantyRecord",
    "WorkOrder",
    "WorkOrderOffer",
    "WorkOrderState",
]
