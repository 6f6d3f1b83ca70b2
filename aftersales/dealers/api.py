from decimal import Decimal

from ninja import Field, ModelSchema, Router
from pydantic import constr

from aftersales.core.crud import register_crud
from aftersales.core.schemas import In, InFilter
from aftersales.dealers.models import Dealer

router = Router(tags=["经销商"])


class DealerOut(ModelSchema):
    class Meta:
        model = Dealer
        fields = [
            "id",
            "code",
            "name",
            "level",
            "region",
            "contact_name",
            "phone",
            "address",
            "receivables",
            "archived_at",
        ]


class DealerIn(In):
    columns_of = Dealer
    code: constr(strip_whitespace=True, min_length=1, max_length=20)  # type: ignore[valid-type]
    name: constr(strip_whitespace=True, min_length=1, max_length=100)  # type: ignore[valid-type]
    level: Dealer.Level = Dealer.Level.B
    region_id: int
    contact_name: str = ""
    phone: str = ""
    address: str = ""
    receivables: Decimal = Field(Decimal("0.00"), max_digits=14, decimal_places=2)


class DealerPatch(In):
    columns_of = Dealer
    name: str | None = None
    level: Dealer.Level | None = None
    region_id: int | None = None
    contact_name: str | None = None
    phone: str | None = None
    address: str | None = None


class DealerFilter(InFilter):
    columns_of = Dealer
    region_id: int | None = None
    level: str | None = None


register_crud(
    router,
    model=Dealer,
    path="dealers",
    out=DealerOut,
    create=DealerIn,
    update=DealerPatch,
    filters=DealerFilter,
    search=["code", "name", "contact_name"],
)
