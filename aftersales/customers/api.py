import datetime as dt
from decimal import Decimal

from ninja import Field, ModelSchema, Router
from pydantic import constr

from aftersales.core.crud import register_crud
from aftersales.core.schemas import In, InFilter
from aftersales.customers.models import Contact, Customer, Site
from aftersales.customers.selectors import CUSTOMER_SEARCH

router = Router(tags=["客户与项目"])

Name = constr(strip_whitespace=True, min_length=1, max_length=100)


class CustomerOut(ModelSchema):
    region_name: str = Field(..., alias="region.name")
    dealer_name: str | None = Field(None, alias="dealer.name")

    class Meta:
        model = Customer
        fields = [
            "id",
            "code",
            "name",
            "name_initials",
            "kind",
            "tier",
            "region",
            "dealer",
            "phone",
            "address",
            "notes",
            "created_at",
            "archived_at",
        ]


class CustomerIn(In):
    columns_of = Customer
    code: constr(strip_whitespace=True, min_length=1, max_length=30)  # type: ignore[valid-type]
    name: Name  # type: ignore[valid-type]
    kind: Customer.Kind = Customer.Kind.ORGANISATION
    tier: Customer.Tier = Customer.Tier.NORMAL
    region_id: int
    dealer_id: int | None = None
    phone: str = ""
    address: str = ""
    notes: str = ""


class CustomerPatch(In):
    columns_of = Customer
    name: Name | None = None  # type: ignore[valid-type]
    kind: Customer.Kind | None = None
    tier: Customer.Tier | None = None
    region_id: int | None = None
    dealer_id: int | None = None
    phone: str | None = None
    address: str | None = None
    notes: str | None = None


class CustomerFilter(InFilter):
    columns_of = Customer
    tier: str | None = None
    region_id: int | None = None
    dealer_id: int | None = None


register_crud(
    router,
    model=Customer,
    path="customers",
    out=CustomerOut,
    create=CustomerIn,
    update=CustomerPatch,
    filters=CustomerFilter,
    search=CUSTOMER_SEARCH,
    prepare=lambda qs: qs.select_related("region", "dealer"),
)


class ContactOut(ModelSchema):
    class Meta:
        model = Contact
        fields = [
            "id",
            "customer",
            "name",
            "mobile",
            "phone",
            "email",
            "title",
            "is_primary",
            "archived_at",
        ]


class ContactIn(In):
    columns_of = Contact
    customer_id: int
    name: constr(strip_whitespace=True, min_length=1, max_length=50)  # type: ignore[valid-type]
    mobile: str = ""
    phone: str = ""
    email: str = ""
    title: str = ""
    is_primary: bool = False


class ContactPatch(In):
    columns_of = Contact
    name: str | None = None
    mobile: str | None = None
    phone: str | None = None
    email: str | None = None
    title: str | None = None
    is_primary: bool | None = None


class ContactFilter(InFilter):
    customer_id: int | None = None


register_crud(
    router,
    model=Contact,
    path="contacts",
    out=ContactOut,
    create=ContactIn,
    update=ContactPatch,
    filters=ContactFilter,
    search=["name", "mobile", "phone"],
)


class SiteOut(ModelSchema):
    customer_name: str = Field(..., alias="customer.name")
    region_name: str = Field(..., alias="region.name")

    class Meta:
        model = Site
        fields = [
            "id",
            "customer",
            "code",
            "name",
            "address",
            "lat",
            "lng",
            "region",
            "is_project",
            "completion_date",
            "acceptance_date",
            "responsible_engineer",
            "notes",
            "archived_at",
        ]


class SiteIn(In):
    columns_of = Site
    customer_id: int
    code: constr(strip_whitespace=True, min_length=1, max_length=30)  # type: ignore[valid-type]
    name: Name  # type: ignore[valid-type]
    address: constr(strip_whitespace=True, min_length=1, max_length=200)  # type: ignore[valid-type]
    lat: Decimal | None = Field(None, ge=-90, le=90)
    lng: Decimal | None = Field(None, ge=-180, le=180)
    region_id: int
    is_project: bool = True
    completion_date: dt.date | None = None
    acceptance_date: dt.date | None = None
    responsible_engineer_id: int | None = None
    notes: str = ""


class SitePatch(In):
    columns_of = Site
    name: Name | None = None  # type: ignore[valid-type]
    address: str | None = None
    lat: Decimal | None = Field(None, ge=-90, le=90)
    lng: Decimal | None = Field(None, ge=-180, le=180)
    region_id: int | None = None
    is_project: bool | None = None
    completion_date: dt.date | None = None
    acceptance_date: dt.date | None = None
    responsible_engineer_id: int | None = None
    notes: str | None = None


class SiteFilter(InFilter):
    customer_id: int | None = None
    region_id: int | None = None
    responsible_engineer_id: int | None = None


register_crud(
    router,
    model=Site,
    path="sites",
    out=SiteOut,
    create=SiteIn,
    update=SitePatch,
    filters=SiteFilter,
    search=["name", "code", "address", "customer__name"],
    prepare=lambda qs: qs.select_related("customer", "region"),
)
