"""Loading the demo data into the database: volumes, idempotence, ``--if-empty``, logins,
warranty policies, defaults."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from aftersales.accounts.models import Department, OrgKind, User
from aftersales.accounts.roles import ROLES
from aftersales.catalog.models import Part, PriceList
from aftersales.core.models import AuditEvent, Region
from aftersales.customers.models import Contact, Customer, ServiceContract, Site
from aftersales.dealers.models import Dealer
from aftersales.demo.catalog_data import CATEGORIES
from aftersales.demo.data import DEMO_PASSWORD
from aftersales.demo.plan import parse_size
from aftersales.demo.quality import REPAIR_DESCRIPTION
from aftersales.demo.rating_work import MARK
from aftersales.demo.selectors import demo_logins
from aftersales.installed_base.models import (
    Equipment,
    EquipmentComponent,
    ProductCategory,
    ProductModel,
    WarrantyPolicy,
)
from aftersales.quality.models import Complaint, CorrectiveAction, OldPart, QualityWarning
from aftersales.staff.models import DutyShift, StaffProfile

pytestmark = pytest.mark.django_db


def load(*args: str, **options: object) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (
        Region,
        Department,
        Dealer,
        User,
        StaffProfile,
        Customer,
        Contact,
        Site,
        Equipment,
        EquipmentComponent,
        ServiceContract,
        Part,
        DutyShift,
        WarrantyPolicy,
        AuditEvent,
    )
    return {m.__name__: m.objects.count() for m in models}


def test_small_size_loads_a_tenth() -> None:
    out = load(size="small")
    assert "演示数据（规模 small）已加载" in out
    assert Customer.objects.count() == 20
    assert Site.objects.count() == 40
    assert Equipment.objects.count() == 200
    assert Dealer.objects.count() == 2
    # other apps may seed categories of their own (e.g. return rules for apparel)
    assert ProductCategory.objects.filter(code__in=[c for c, _ in CATEGORIES]).count() == 6
    assert len(CATEGORIES) == 6
    assert ProductModel.objects.count() == 30
    assert Part.objects.count() == 80
    assert Region.objects.count() == 3
    hd = Region.objects.get(code="HD")
    assert hd.name == "华东区" and list(hd.neighbours.values_list("code", flat=True)) == ["HB"]
    assert Department.objects.count() == 7
    assert StaffProfile.objects.filter(is_field_engineer=True, home_lat__isnull=False).count() == 6
    kinds = set(DutyShift.objects.values_list("kind", flat=True))
    assert kinds == {"normal", "on_call", "holiday"}
    assert ServiceContract.objects.filter(is_7x24=True, sla_policy__code="7x24").count() == 1
    assert Contact.objects.filter(is_primary=True).count() == 20
    price_list = PriceList.objects.get(is_default=True)
    assert (
        str(price_list.labour_rate_per_hour),
        str(price_list.travel_rate_per_km),
        str(price_list.travel_flat_fee),
    ) == ("120.00", "2.50", "50.00")
    assert Part.objects.filter(is_wear_part=True).exists()
    assert Part.objects.filter(substitutes__isnull=False).exists()
    # One summary audit row per model instead of one per record.
    summary = AuditEvent.objects.filter(verb="load_demo")
    assert 10 <= summary.count() <= 25
    assert summary.get(content_type__model="equipment").payload["count"] == 200


def test_loading_twice_adds_nothing() -> None:
    load(size="small")
    before = counts()
    out = load(size="small")
    assert "无需新增" in out
    assert counts() == before


def test_if_empty_is_a_cheap_no_op_the_second_time() -> None:
    load("--if-empty", size="small")
    before = counts()
    with CaptureQueriesContext(connection) as queries:
        out = load("--if-empty", size="small")
    assert "跳过" in out
    assert len(queries) == 1
    assert counts() == before


def test_every_role_has_a_demo_login_that_signs_in() -> None:
    load(size="small")
    logins = demo_logins()
    by_role = {x.role_code: x.username for x in logins}
    assert set(by_role) == {r.code for r in ROLES}
    for code, username in by_role.items():
        client = Client()
        resp = client.post("/login/", {"username": username, "password": DEMO_PASSWORD})
        assert resp.status_code == 302, (code, username)
        assert client.session["_auth_user_id"] == str(User.objects.get(username=username).pk)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert User.objects.get(username="dealer1").org_kind == OrgKind.DEALER
    assert User.objects.get(username="customer1").customer.name == "上海浦东国际会展中心"


def test_demo_logins_command_prints_the_table() -> None:
    load(size="small")
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert f"密码均为 {DEMO_PASSWORD}" in text
    for expected in (
        "agent",
        "客服专员",
        "technician1",
        "维修工程师",
        "dealer1",
        "customer1",
        "admin",
        "管理员",
    ):
        assert expected in text
    User.objects.filter(username="agent").update(password="changed")
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "\nagent " not in out.getvalue()


def test_warranty_policies_per_category() -> None:
    load(size="small")
    policies = {
        (p.category.code, p.component_code): p
        for p in WarrantyPolicy.objects.active().select_related("category")
    }
    assert {cat for cat, comp in policies if comp == ""} == {
        "led",
        "hvac",
        "security",
        "agri",
        "window",
        "software",
    }
    led = policies["led", ""]
    assert (led.months, led.latent_defect_months, led.start_event) == (24, 24, "acceptance")
    hvac = policies["hvac", ""]
    assert (hvac.period_kind, hvac.seasons, hvac.season_start, hvac.season_end) == (
        "seasons",
        3,
        "06-01",
        "09-30",
    )
    assert policies["hvac", "compressor"].months == 36
    assert policies["security", ""].months == 12
    agri = policies["agri", ""]
    assert (agri.months, agri.start_event, agri.card_deadline_days) == (12, "sale", 20)
    window = policies["window", ""]
    assert (window.months, window.latent_defect_months) == (24, 60)
    software = policies["software", ""]
    assert software.months == 12 and software.waive_labour_out_of_warranty
    assert {p.non_quality_mode for p in policies.values()} == {"parts_at_cost"}
    assert EquipmentComponent.objects.filter(code="compressor").exists()


def test_default_size_has_the_specified_volumes() -> None:
    load(size="default")
    assert Customer.objects.count() == 200
    assert Site.objects.count() == 400
    assert Equipment.objects.count() == 2000
    assert StaffProfile.objects.count() == 31
    assert (
        StaffProfile.objects.filter(
            is_field_engineer=True,
            user__groups__name="维修工程师",
            home_lat__isnull=False,
            home_lng__isnull=False,
        ).count()
        == 15
    )
    assert Dealer.objects.count() == 10
    # other apps may seed categories of their own (e.g. return rules for apparel)
    assert ProductCategory.objects.filter(code__in=[c for c, _ in CATEGORIES]).count() == 6
    assert len(CATEGORIES) == 6
    assert Customer.objects.filter(dealer__isnull=False).exists()
    assert (
        Customer.objects.filter(tier="key").exists()
        and Customer.objects.filter(kind="individual").exists()
    )


def test_larger_factor_only_adds() -> None:
    load(size="small")
    load(size="0.2")
    assert Customer.objects.count() == 40
    assert (
        Equipment.objects.count()
        == Equipment.objects.values("model", "serial_no").distinct().count()
    )
    assert parse_size("0.2").equipment <= Equipment.objects.count()


def test_demo_has_requests_in_every_stage_made_through_the_services() -> None:
    from aftersales.service.models import Ticket, WorkOrder

    out = load(size="small")
    assert "报修单：新增 10" in out
    states = set(Ticket.objects.values_list("state", flat=True))
    assert states >= {"registered", "acknowledged", "dispatched", "on_site", "resolved", "closed"}
    # the services ran: numbers, SLA clocks, audit with from → to, callbacks, appointments
    for ticket in Ticket.objects.all():
        assert ticket.number.startswith("BX") and ticket.clocks.exists()
        events = AuditEvent.objects.filter(content_type__model="ticket", object_id=str(ticket.pk))
        assert events.filter(verb="ticket_create").exists()
        if ticket.state != "registered" and ticket.type != "inspection":
            # a planned inspection is released by its plan, not received from a customer
            assert events.filter(verb="acknowledge", to_state="acknowledged").exists()
    for ticket in Ticket.objects.filter(state="resolved"):
        assert ticket.callbacks.filter(state="due").exists()
    # a unit at the factory: its ticket paused, the factory's repair due
    (at_factory,) = Ticket.objects.filter(state="at_factory")
    (trip,) = at_factory.factory_repairs.all()
    assert trip.state == "at_factory" and at_factory.pauses.get().reason == "factory"
    offered = WorkOrder.objects.filter(state="offered")
    assert offered and all(wo.window_start and wo.window_end for wo in offered)
    # parts requests and returns, through their services (numbers, audit, states)
    from aftersales.parts.models import PartsRequest
    from aftersales.returns.models import ReturnRequest

    assert PartsRequest.objects.count() == 2
    assert set(PartsRequest.objects.values_list("state", flat=True)) == {"requested", "analysed"}
    assert all(r.lines.exists() and r.number.startswith("BJ") for r in PartsRequest.objects.all())
    kinds = set(ReturnRequest.objects.values_list("kind", flat=True))
    assert ReturnRequest.objects.count() == 1 and kinds <= {"customer", "dealer_stock"}
    assert AuditEvent.objects.filter(content_type__model="partsrequest").count() >= 3
    # a second load (a second `make run`) adds no requests
    before = Ticket.objects.count()
    before_complaints = Complaint.objects.count()
    load(size="small")
    assert Ticket.objects.count() == before and PartsRequest.objects.count() == 2
    # the registered requests; planned inspections and what they found come on top, and
    # the quality loop's warranty repairs (their old parts, the warning they raise)
    registered = Ticket.objects.exclude(type="inspection").exclude(channel="inspection")
    # (a dealer's request of last period comes with the rating history, rating_work.MARK)
    registered = registered.exclude(description__endswith=MARK)
    assert registered.exclude(description=REPAIR_DESCRIPTION).count() == 10
    # the quality loop is loaded with the rest (load_quality), once
    assert "投诉单：新增" in out
    assert Complaint.objects.count() >= 5 and OldPart.objects.exists()
    assert QualityWarning.objects.exists()
    assert CorrectiveAction.objects.filter(state="verifying").exists()
    assert Complaint.objects.count() == before_complaints


def test_demo_has_receipts_a_credit_note_expenses_and_every_card_state() -> None:
    from aftersales.charges.models import ExpenseClaim, Receipt
    from aftersales.service.models import Quote

    load(size="small")
    kinds = set(Receipt.objects.values_list("kind", flat=True))
    assert kinds == {"receipt", "credit"}, kinds
    numbers = list(Receipt.objects.values_list("number", flat=True))
    assert all(n.startswith("SK") for n in numbers) and len(set(numbers)) == len(numbers)
    assert Quote.objects.filter(state="approving").exists()  # a manual line awaiting approval
    assert set(ExpenseClaim.objects.values_list("state", flat=True)) == {"draft", "submitted"}
    sold = Equipment.objects.filter(dealer__isnull=False)
    assert set(sold.values_list("card_status", flat=True)) == {
        "none",
        "received",
        "mismatch",
        "altered",
    }


def test_demo_has_service_tasks_of_dealers_and_of_departments() -> None:
    from aftersales.dealers.models import DealerTask

    load(size="small")
    given = DealerTask.objects.filter(department__isnull=False)
    assert {(t.department.code, t.state) for t in given} == {
        ("CC", "arranged"),
        ("PZB", "assigned"),
    }
    assert all(t.ticket.customer.dealer_id is None for t in given)
    assert DealerTask.objects.filter(dealer__isnull=False).exists()


def test_demo_has_stocking_plans_in_time_late_and_reviewed() -> None:
    from django.utils import timezone

    from aftersales.dealers.models import Season, StockingPlan

    load(size="small")
    assert Season.objects.count() == 2
    now = timezone.now()
    plans = list(StockingPlan.objects.all())
    states = {p.state for p in plans}
    assert {"approved", "submitted", "draft"} <= states, states
    late = [p for p in plans if p.is_late(now)]
    assert any(p.late for p in late)  # sent after the due time
    assert any(p.state == "draft" for p in late)  # due and still not in
    assert any(p.state == "submitted" and not p.is_late(now) for p in plans)
    assert all(p.lines.exists() for p in plans if p.state != "draft")


def test_demo_has_a_frozen_dealer_rating_with_every_component() -> None:
    from aftersales.dealers.models import DealerRating, RatingPeriod

    load(size="small")
    period = RatingPeriod.objects.get()
    ratings = list(DealerRating.objects.filter(period=period))
    full = [
        r
        for r in ratings
        if None not in (r.arrangement_score, r.complaint_score, r.rejection_score, r.callback_score)
    ]
    assert full, [(r.dealer_id, r.tasks_total, r.claims_appraised) for r in ratings]
    r = full[0]
    assert r.tasks_in_time < r.tasks_total and r.complaints >= 1
    assert r.claims_rejected >= 1 and r.callbacks_satisfied < r.callbacks_done
    assert {"reward", "downgrade"} <= {x.outcome for x in ratings}


def test_demo_dealers_receivables_are_their_ledger() -> None:
    from django.db.models import Sum

    from aftersales.dealers.models import LedgerEntry

    load(size="small")
    dealers = list(Dealer.objects.all())
    assert any(d.receivables for d in dealers)
    for d in dealers:
        booked = LedgerEntry.objects.filter(dealer=d).aggregate(s=Sum("amount"))["s"] or 0
        assert booked == d.receivables, d.code
        if d.receivables:
            assert LedgerEntry.objects.filter(dealer=d, kind="opening").count() == 1
