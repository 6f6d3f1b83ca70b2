import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, ModelSchema, Router, Schema
from ninja.filter_schema import FilterLookup
from pydantic import constr

from aftersales.core.crud import register_crud
from aftersales.core.schemas import In, InFilter
from aftersales.core.visibility import get_visible
from aftersales.installed_base.models import (
    Equipment,
    ProductCategory,
    ProductModel,
    WarrantyPolicy,
)
from aftersales.installed_base.selectors import EQUIPMENT_SEARCH, supply_of, warranty_status

router = Router(tags=["产品与设备"])


class CategoryOut(ModelSchema):
    class Meta:
        model = ProductCategory
        fields = ["id", "code", "name", "remote_service", "archived_at"]


class CategoryIn(In):
    columns_of = ProductCategory
    code: constr(strip_whitespace=True, min_length=1, max_length=20)  # type: ignore[valid-type]
    name: constr(strip_whitespace=True, min_length=1, max_length=50)  # type: ignore[valid-type]
    remote_service: bool = False


class CategoryPatch(In):
    columns_of = ProductCategory
    name: str | None = None
    remote_service: bool | None = None


class NoFilter(InFilter):
    pass


register_crud(
    router,
    model=ProductCategory,
    path="product-categories",
    out=CategoryOut,
    create=CategoryIn,
    update=CategoryPatch,
    filters=NoFilter,
    search=["name", "code"],
)


class ProductModelOut(ModelSchema):
    category_name: str = Field(..., alias="category.name")
    parts_supply_guaranteed: bool = Field(..., description="今天是否仍保证备件供应")
    parts_supply_until: dt.date | None = Field(..., description="备件保证供应截止日（在产为空）")

    @staticmethod
    def resolve_parts_supply_guaranteed(obj: ProductModel) -> bool:
        return supply_of(obj).guaranteed

    @staticmethod
    def resolve_parts_supply_until(obj: ProductModel) -> dt.date | None:
        return supply_of(obj).until

    class Meta:
        model = ProductModel
        fields = [
            "id",
            "category",
            "code",
            "name",
            "brand",
            "warranty_policy",
            "discontinued_on",
            "parts_supply_years",
            "archived_at",
        ]


class ProductModelIn(In):
    columns_of = ProductModel
    category_id: int
    code: constr(strip_whitespace=True, min_length=1, max_length=50)  # type: ignore[valid-type]
    name: constr(strip_whitespace=True, min_length=1, max_length=100)  # type: ignore[valid-type]
    brand: str = ""
    warranty_policy_id: int | None = None
    discontinued_on: dt.date | None = None
    parts_supply_years: int = Field(5, ge=0, le=30)


class ProductModelPatch(In):
    columns_of = ProductModel
    name: str | None = None
    brand: str | None = None
    warranty_policy_id: int | None = None
    discontinued_on: dt.date | None = None
    parts_supply_years: int | None = Field(None, ge=0, le=30)


class ProductModelFilter(InFilter):
    category_id: int | None = None


register_crud(
    router,
    model=ProductModel,
    path="product-models",
    out=ProductModelOut,
    create=ProductModelIn,
    update=ProductModelPatch,
    filters=ProductModelFilter,
    search=["code", "name", "brand"],
    prepare=lambda qs: qs.select_related("category"),
)


class PolicyOut(ModelSchema):
    class Meta:
        model = WarrantyPolicy
        fields = [
            "id",
            "code",
            "name",
            "category",
            "component_code",
            "period_kind",
            "months",
            "seasons",
            "season_name",
            "season_start",
            "season_end",
            "start_event",
            "latent_defect_months",
            "card_deadline_days",
            "non_quality_mode",
            "waive_labour_out_of_warranty",
            "exclusions",
            "archived_at",
        ]


class PolicyIn(In):
    columns_of = WarrantyPolicy
    code: str
    name: str
    category_id: int
    component_code: str = ""
    period_kind: WarrantyPolicy.PeriodKind = WarrantyPolicy.PeriodKind.MONTHS
    months: int | None = Field(None, ge=1, le=240)
    seasons: int | None = Field(None, ge=1, le=20)
    season_name: str = ""
    season_start: str = ""
    season_end: str = ""
    start_event: WarrantyPolicy.StartEvent = WarrantyPolicy.StartEvent.ACCEPTANCE
    latent_defect_months: int = Field(0, ge=0, le=240)
    card_deadline_days: int = Field(20, ge=0, le=365)
    non_quality_mode: WarrantyPolicy.NonQualityMode = WarrantyPolicy.NonQualityMode.PARTS_AT_COST
    waive_labour_out_of_warranty: bool = False
    exclusions: str = ""


class PolicyPatch(In):
    columns_of = WarrantyPolicy
    name: str | None = None
    months: int | None = Field(None, ge=1, le=240)
    seasons: int | None = Field(None, ge=1, le=20)
    latent_defect_months: int | None = Field(None, ge=0, le=240)
    start_event: WarrantyPolicy.StartEvent | None = None
    card_deadline_days: int | None = Field(None, ge=0, le=365)
    non_quality_mode: WarrantyPolicy.NonQualityMode | None = None
    waive_labour_out_of_warranty: bool | None = None
    exclusions: str | None = None


class PolicyFilter(InFilter):
    category_id: int | None = None


register_crud(
    router,
    model=WarrantyPolicy,
    path="warranty-policies",
    out=PolicyOut,
    create=PolicyIn,
    update=PolicyPatch,
    filters=PolicyFilter,
    search=["code", "name"],
)


class EquipmentOut(ModelSchema):
    model_code: str = Field(..., alias="model.code")
    model_name: str = Field(..., alias="model.name")
    category_code: str = Field(..., alias="model.category.code")
    site_name: str = Field(..., alias="site.name")
    customer_id: int = Field(..., alias="site.customer_id")
    customer_name: str = Field(..., alias="site.customer.name")

    class Meta:
        model = Equipment
        fields = [
            "id",
            "model",
            "serial_no",
            "quantity",
            "site",
            "software_version",
            "batch_no",
            "connection",
            "sale_date",
            "installation_date",
            "acceptance_date",
            "dealer",
            "card_status",
            "card_no",
            "card_received_date",
            "notes",
            "archived_at",
        ]


class EquipmentIn(In):
    columns_of = Equipment
    model_id: int
    serial_no: constr(strip_whitespace=True, min_length=1, max_length=50)  # type: ignore[valid-type]
    quantity: int = Field(1, ge=1)
    site_id: int
    software_version: str = ""
    batch_no: str = ""
    connection: str = ""
    sale_date: dt.date | None = None
    installation_date: dt.date | None = None
    acceptance_date: dt.date | None = None
    dealer_id: int | None = None
    card_status: Equipment.CardStatus = Equipment.CardStatus.NONE
    card_no: str = ""
    card_received_date: dt.date | None = None
    notes: str = ""


class EquipmentPatch(In):
    columns_of = Equipment
    quantity: int | None = Field(None, ge=1)
    site_id: int | None = None
    software_version: str | None = None
    batch_no: str | None = None
    connection: str | None = None
    sale_date: dt.date | None = None
    installation_date: dt.date | None = None
    acceptance_date: dt.date | None = None
    card_status: Equipment.CardStatus | None = None
    card_no: str | None = None
    card_received_date: dt.date | None = None
    notes: str | None = None


class EquipmentFilter(InFilter):
    columns_of = Equipment
    model_id: int | None = None
    site_id: int | None = None
    customer_id: Annotated[int | None, FilterLookup("site__customer_id")] = None
    category_id: Annotated[int | None, FilterLookup("model__category_id")] = None
    serial_no: str | None = None


register_crud(
    router,
    model=Equipment,
    path="equipment",
    out=EquipmentOut,
    create=EquipmentIn,
    update=EquipmentPatch,
    filters=EquipmentFilter,
    search=EQUIPMENT_SEARCH,
    prepare=lambda qs: qs.select_related("model__category", "site__customer"),
)


class WarrantyStatusOut(Schema):
    label: str
    in_warranty: bool
    policy: str | None
    start: dt.date | None
    end: dt.date | None
    latent_defect_until: dt.date | None
    reasons: list[str]


@router.get("/equipment/{int:pk}/warranty", response=WarrantyStatusOut, summary="设备保修状态")
def equipment_warranty(request: HttpRequest, pk: int) -> WarrantyStatusOut:
    eq = get_visible(
        Equipment.objects.select_related("model__category", "site"), request.user, pk=pk
    )
    status = warranty_status(eq)
    return WarrantyStatusOut(
        label=status.label,
        in_warranty=status.css == "in",
        policy=status.policy.name if status.policy else None,
        start=status.start,
        end=status.end,
        latent_defect_until=status.latent_until,
        reasons=status.reasons,
    )
