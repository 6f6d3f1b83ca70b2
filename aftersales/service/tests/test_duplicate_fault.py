"""The duplicate guard compares equipment *and fault* (SPEC §3.1): another fault on the same
equipment is registered with its reason; without equipment the customer's open tickets
with the same fault are matched by description."""

from __future__ import annotations

from typing import Any

import pytest

from aftersales.core.errors import Conflict, ValidationFailed
from aftersales.service import duplicates
from aftersales.service.models import Ticket
from aftersales.service.services import intake


def register(w: Any, **kw: Any) -> Ticket:
    data = intake.TicketInput(
        description=kw.pop("description", "屏幕左下角黑屏"),
        contact_name="王经理",
        contact_phone="13800138000",
        channel="phone",
        **kw,
    )
    return intake.ticket_create(actor=w.agent, data=data)


def test_similarity_rule() -> None:
    assert duplicates.similarity("屏幕左下角黑屏", "左下角屏幕黑屏了") >= duplicates.SIMILAR_AT
    assert duplicates.similarity("屏幕左下角黑屏", "遥控器失灵") < duplicates.SIMILAR_AT
    assert duplicates.similarity("", "黑屏") == 0.0
    assert duplicates.same_fault_on_equipment("", "电源故障")
    assert duplicates.same_fault_on_equipment("电源故障", "电源故障")
    assert not duplicates.same_fault_on_equipment("模组故障", "电源故障")
    assert not duplicates.same_fault_for_customer("模组故障", "黑屏", "电源故障", "黑屏")
    assert duplicates.same_fault_for_customer("电源故障", "不亮", "电源故障", "跳闸")


@pytest.mark.django_db
def test_same_equipment_other_fault_category_is_no_duplicate(world: Any) -> None:
    first = register(world, equipment_id=world.equipment.pk, fault_category="模组故障")
    other = register(
        world, equipment_id=world.equipment.pk, fault_category="电源故障", description="跳闸"
    )
    assert other.duplicate_of is None and other.pk != first.pk
    with pytest.raises(Conflict) as err:
        register(world, equipment_id=world.equipment.pk, fault_category="电源故障")
    assert err.value.code == "duplicate_ticket" and other.number in err.value.message
    assert first.number not in err.value.message  # only the same fault is the duplicate


@pytest.mark.django_db
def test_a_different_fault_needs_its_reason(world: Any) -> None:
    first = register(world, equipment_id=world.equipment.pk)
    with pytest.raises(ValidationFailed) as err:
        register(world, equipment_id=world.equipment.pk, allow_duplicate=True)
    assert err.value.code == "different_fault_reason_required"
    assert Ticket.objects.count() == 1
    second = register(
        world,
        equipment_id=world.equipment.pk,
        allow_duplicate=True,
        different_fault_reason="右侧音箱没有声音",
        description="音箱无声",
    )
    assert second.duplicate_of == first and second.different_fault_reason == "右侧音箱没有声音"


@pytest.mark.django_db
def test_without_equipment_the_customers_open_tickets_are_matched(world: Any) -> None:
    customer = world.equipment.site.customer
    first = register(world, customer_id=customer.pk)
    with pytest.raises(Conflict) as err:
        register(world, customer_id=customer.pk, description="左下角屏幕黑屏了")
    assert err.value.code == "duplicate_ticket"
    assert "该客户" in err.value.message and first.number in err.value.message
    # another fault of the same customer goes through at once
    other = register(world, customer_id=customer.pk, description="遥控器失灵，按键没反应")
    assert other.duplicate_of is None
    # the same fault, said to be another one with its reason
    again = register(
        world,
        customer_id=customer.pk,
        description="左下角屏幕黑屏了",
        allow_duplicate=True,
        different_fault_reason="二号馆的屏，不是一号馆",
    )
    assert again.duplicate_of == first


@pytest.mark.django_db
def test_agent_form_offers_the_different_fault_with_a_reason(world: Any, client: Any) -> None:
    customer = world.equipment.site.customer
    register(world, customer_id=customer.pk)
    client.force_login(world.agent)
    form = {
        "channel": "phone",
        "type": "repair",
        "severity": "normal",
        "customer_id": customer.pk,
        "contact_name": "王经理",
        "contact_phone": "13800138000",
        "description": "左下角屏幕黑屏了",
    }
    refused = client.post("/service/tickets/new/", form)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert 'data-testid="different-fault-reason"' in page and 'maxlength="200"' in page
    assert Ticket.objects.count() == 1
    no_reason = client.post("/service/tickets/new/", {**form, "allow_duplicate": "1"})
    assert no_reason.status_code == 422 and Ticket.objects.count() == 1
    done = client.post(
        "/service/tickets/new/",
        {**form, "allow_duplicate": "1", "different_fault_reason": "另一台屏"},
    )
    assert done.status_code == 302
    assert Ticket.objects.latest("id").different_fault_reason == "另一台屏"
