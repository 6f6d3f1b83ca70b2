from decimal import Decimal

from ninja import Field, ModelSchema, Router
from pydantic import constr

from aftersales.catalog.models import Part
from aftersales.core.crud import register_crud
from aftersales.core.schemas import In, InFilter

router = Router(tags=["配件"])
Money = Field(..., ge=0, max_digits=12, decimal_places=2)


class PartOut(ModelSchema):
    class Meta:
        model = Part
        fields = [
            "id",
            "code",
            "name",
            "name_initials",
            "model",
            "specification",
            "category",
            "usage",
            "unit",
            "unit_cost",
            "price",
            "is_wear_part",
            "product_models",
            "archived_at",
        ]


class PartIn(In):
    columns_of = Part
    code: constr(strip_whitespace=True, min_length=1, max_length=30)  # type: ignore[valid-type]
    name: constr(strip_whitespace=True, min_length=1, max_length=100)  # type: ignore[valid-type]
    model: str = ""
    specification: str = ""
    category_id: int | None = None
    usage: str = ""
    unit: str = "个"
    unit_cost: Decimal = Money
    price: Decimal = Money
    is_wear_part: bool = False
    product_models: list[int] = Field([], max_length=200, description="适用型号（产品型号ID）")


class PartPatch(In):
    columns_of = Part
    name: str | None = None
    model: str | None = None
    specification: str | None = None
    usage: str | None = None
    unit_cost: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    price: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    is_wear_part: bool | None = None
    product_models: list[int] | None = Field(None, max_length=200)


class PartFilter(InFilter):
    category_id: int | None = None
    is_wear_part: bool | None = None


register_crud(
    router,
    model=Part,
    path="parts",
    out=PartOut,
    create=PartIn,
    update=PartPatch,
    filters=PartFilter,
    search=["code", "name", "name_initials", "model", "specification"],
)
