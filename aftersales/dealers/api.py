"""REST API of the dealer domain: dealers (master data), warranty cards. Thin endpoints over
the services and selectors; another dealer's records are 404."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, File, ModelSchema, Query, Router, UploadedFile
from ninja.pagination import paginate
from pydantic import constr

from aftersales.core.crud import Page, register_crud
from aftersales.core.errors import ValidationFailed
from aftersales.core.schemas import In, InFilter
from aftersales.dealers import selectors
from aftersales.dealers.api_schemas import CardImportOut, CardIn, CardOut, CardReceiveIn
from aftersales.dealers.models import Dealer
from aftersales.dealers.services import cards

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


@router.get("/warranty-cards", response=list[CardOut], summary="三包回执卡列表")
@paginate(Page)
def card_list(
    request: HttpRequest,
    state: str | None = Query(None, max_length=10),  # type: ignore[call-overload]
    dealer_id: int | None = None,
    q: str | None = Query(None, max_length=50),  # type: ignore[call-overload]
) -> Any:
    return selectors.card_list(
        request.user, selectors.CardFilters(state=state, dealer_id=dealer_id, q=q)
    )


@router.get("/warranty-cards/{int:pk}", response=CardOut, summary="三包回执卡详情")
def card_get(request: HttpRequest, pk: int) -> Any:
    return selectors.card_detail(request.user, pk)


@router.post("/warranty-cards", response={201: CardOut}, summary="登记销售（三包回执卡）")
def card_register(request: HttpRequest, payload: CardIn) -> Any:
    card = cards.register_card(actor=request.user, data=cards.CardInput(**payload.dict()))
    return 201, selectors.card_detail(request.user, card.pk)


@router.post(
    "/warranty-cards/{int:pk}/receive", response=CardOut, summary="登记公司收卡日期（仅公司）"
)
def card_receive(request: HttpRequest, pk: int, payload: CardReceiveIn) -> Any:
    cards.receive_card(actor=request.user, card_id=pk, received_date=payload.received_date)
    return selectors.card_detail(request.user, pk)


@router.post("/warranty-cards/import", response=CardImportOut, summary="Excel批量登记三包回执卡")
def card_import(
    request: HttpRequest,
    file: UploadedFile = File(...),  # noqa: B008
    dealer_id: int | None = None,
) -> Any:
    if file.size and file.size > 5 * 1024 * 1024:
        raise ValidationFailed("文件超过 5 MB", field="file")
    result = cards.import_cards(actor=request.user, fileobj=file, dealer_id=dealer_id)
    if result.errors:
        raise ValidationFailed(result.errors[0], details={"errors": result.errors})
    return CardImportOut(created=len(result.created), errors=[])
