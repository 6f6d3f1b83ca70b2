"""Users, departments, API tokens and login attempts.

A user belongs to one kind of organisation: the company itself, a dealer or a customer.
Roles are Django groups (``aftersales.accounts.roles``); row-level visibility follows the
organisation (``aftersales.core.visibility``).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from aftersales.core.models import BusinessModel, clean_fields_without_bidi


class OrgKind(models.TextChoices):
    COMPANY = "company", "本公司"
    DEALER = "dealer", "经销商"
    CUSTOMER = "customer", "客户"


class Department(BusinessModel):
    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, verbose_name="上级部门"
    )

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    display_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机", max_length=20, blank=True)
    org_kind = models.CharField(
        "组织类型", max_length=10, choices=OrgKind.choices, default=OrgKind.COMPANY
    )
    dealer = models.ForeignKey(
        "dealers.Dealer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name="所属经销商",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name="所属客户",
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, verbose_name="部门"
    )
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, verbose_name="片区"
    )

    REQUIRED_FIELDS: ClassVar[list[str]] = ["email"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                name="user_org_matches_kind",
                condition=(
                    models.Q(org_kind="company", dealer__isnull=True, customer__isnull=True)
                    | models.Q(org_kind="dealer", dealer__isnull=False, customer__isnull=True)
                    | models.Q(org_kind="customer", customer__isnull=False, dealer__isnull=True)
                ),
            )
        ]

    def clean_fields(self, exclude: Any = None) -> None:
        clean_fields_without_bidi(self, super().clean_fields, exclude)

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        from aftersales.accounts.roles import role_codes_of

        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = role_codes_of(self)
            self._role_codes = cached
        return cached

    def has_role(self, *codes: str) -> bool:
        return self.is_superuser or bool(self.role_codes.intersection(codes))


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=50, default="api")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API令牌"
        verbose_name_plural = "API令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "as_" + secrets.token_urlsafe(32)


class LoginAttempt(models.Model):
    """Every login try (web or API), for throttling and for the security log."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    success = models.BooleanField(default=False)
    # refused by the throttle before the password was checked
    throttled = models.BooleanField("被限流", default=False)
    channel = models.CharField(max_length=10, default="web")

    class Meta:
        verbose_name = "登录记录"
        verbose_name_plural = "登录记录"
        indexes = [models.Index(fields=["username", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {'成功' if self.success else '失败'}"


class LoginThrottle(models.Model):
    """Failed logins of one user name from one client address, counted atomically (one
    ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` per try, see accounts.services): after the
    free tries each further try must wait a doubling delay. Keyed by name *and* address, so
    someone failing on an account elsewhere never locks its owner out."""

    username = models.CharField(max_length=150)
    ip = models.CharField(max_length=45, blank=True, default="")
    failures = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField(default=timezone.now)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "登录限流"
        verbose_name_plural = "登录限流"
        constraints = [
            models.UniqueConstraint(fields=["username", "ip"], name="login_throttle_name_ip")
        ]

    def __str__(self) -> str:
        return f"{self.username}@{self.ip or '?'} ×{self.failures}"
