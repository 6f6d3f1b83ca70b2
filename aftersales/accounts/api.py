import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from aftersales.accounts import services
from aftersales.accounts.models import User
from aftersales.core.schemas import In

router = Router(tags=["账号"])


class TokenIn(In):
    columns_of = User
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime | None


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    org_kind: str
    dealer_id: int | None
    customer_id: int | None
    roles: list[str]


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


@router.post("/auth/token", auth=None, response={201: TokenOut}, summary="用户名密码换取API令牌")
def obtain_token(request: HttpRequest, payload: TokenIn) -> tuple[int, TokenOut]:
    user = services.login_check(
        username=payload.username,
        password=payload.password,
        ip=client_ip(request),
        channel="api",
        request=request,
    )
    token, key = services.issue_token(user=user)
    return 201, TokenOut(token=key, expires_at=token.expires_at)


@router.get("/me", response=MeOut, summary="当前用户")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    assert isinstance(user, User)
    return MeOut(
        id=user.pk,
        username=user.username,
        display_name=user.display_name,
        org_kind=user.org_kind,
        dealer_id=user.dealer_id,
        customer_id=user.customer_id,
        roles=sorted(user.role_codes),
    )
