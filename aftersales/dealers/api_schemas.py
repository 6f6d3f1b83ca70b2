"""Input and output schemas of the dealer-domain API (cards; claims and settlements follow)."""

import datetime as dt

from ninja import Field, Schema
from pydantic import constr

from aftersales.core.schemas import In
from aftersales.dealers.models import WarrantyCard


class CardIn(In):
    columns_of = WarrantyCard
    customer_code: constr(strip_whitespace=True, min_length=1, max_length=30)  # type: ignore[valid-type]
    serial_no: constr(strip_whitespace=True, min_length=1, max_length=50)  # type: ignore[valid-type]
    model_code: str = Field("", max_length=50)
    sale_date: dt.date
    card_no: constr(strip_whitespace=True, min_length=1, max_length=50)  # type: ignore[valid-type]
    dealer_id: int | None = Field(None, description="公司用户代经销商登记时必填")


class CardReceiveIn(In):
    received_date: dt.date


class CardOut(Schema):
    id: int
    card_no: str
    dealer_id: int
    dealer_name: str = Field(..., alias="dealer.name")
    customer_id: int
    customer_name: str = Field(..., alias="customer.name")
    equipment_id: int
    serial_no: str = Field(..., alias="equipment.serial_no")
    model_code: str = Field(..., alias="equipment.model.code")
    sale_date: dt.date
    received_date: dt.date | None
    deadline: dt.date = Field(..., alias="recognition.deadline")
    state: str = Field(..., alias="recognition.state", description="waiting/in_time/late")
    state_label: str = Field(..., alias="recognition.label")
    reason: str = Field(..., alias="recognition.reason")


class CardImportOut(Schema):
    created: int
    errors: list[str]
