"""Demo spare-parts requests (补件) and returns (退货), made through their service functions:
a few waiting for the agent's cause analysis, a few analysed (free for quality causes,
charged for the customer's own), and customer and dealer-stock return applications waiting
for the coordinator."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from aftersales.catalog.models import Part
from aftersales.customers.models import Customer
from aftersales.installed_base.models import ProductCategory
from aftersales.parts.services import requests as parts
from aftersales.returns.services import applications as returns
from aftersales.warranty.rules import CauseClass

PARTS_REASONS = (
    "现场更换后备件不足，申请补发",
    "运输途中包装破损，部分配件变形",
    "安装时发现少发配件",
    "客户操作不当损坏，申请购买",
)
# demo analyses: two quality causes (free) and the customer's own (charged, with the amount)
CAUSES = (
    (CauseClass.MATERIAL, None),
    (CauseClass.PRODUCTION, None),
    (CauseClass.CUSTOMER_DAMAGE, "280.00"),
)


@dataclass
class PaperworkReport:
    parts_requests: int = 0
    returns: int = 0


def load_paperwork(*, users: dict[str, Any], count: int, seed: int = 2026) -> PaperworkReport:
    """``count`` parts requests and about half as many returns (nothing when there are no
    parts or customers, e.g. a bare installation)."""
    report = PaperworkReport()
    agent, coordinator = users.get("agent"), users.get("coordinator")
    codes = list(Part.objects.active().order_by("code").values_list("code", flat=True)[:40])
    customers = list(Customer.objects.filter(archived_at__isnull=True).order_by("pk")[:200])
    if agent is None or coordinator is None or not codes or not customers:
        return report
    rng = random.Random(seed)
    for index in range(count):
        customer = rng.choice(customers)
        request = parts.create(
            actor=agent,
            data=parts.RequestInput(
                reason=rng.choice(PARTS_REASONS),
                customer_id=customer.pk,
                contact_name=customer.name[:2] + "经理",
                contact_phone=f"1390013{rng.randrange(10000):04d}",
                lines=[
                    parts.LineInput(part_code=code, quantity=rng.randint(1, 4))
                    for code in rng.sample(codes, rng.randint(1, 3))
                ],
            ),
        )
        if index % 2:
            cause, amount = CAUSES[index % len(CAUSES)]
            parts.analyse(actor=agent, request=request, cause=cause, amount=amount)
        report.parts_requests += 1
    category = ProductCategory.objects.filter(code="led").first()
    dealt = [c for c in customers if c.dealer_id is not None]
    for index in range(max(1, count // 2)):
        stock = index % 2 == 1 and bool(dealt)
        customer = rng.choice(dealt if stock else customers)
        returns.apply(
            actor=coordinator,
            data=returns.ReturnInput(
                reason="经销商库存滞销，申请退回" if stock else "到货后发现外观划伤，申请退货",
                kind="dealer_stock" if stock else "customer",
                customer_id=customer.pk,
                category_id=category.pk if category and not stock else None,
                stock_cause="unsold" if stock else "",
                contact_name=customer.name[:2] + "经理",
                contact_phone=f"1370013{rng.randrange(10000):04d}",
                lines=[returns.LineInput(quantity=1, part_code=rng.choice(codes))],
            ),
        )
        report.returns += 1
    return report
