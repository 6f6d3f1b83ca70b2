"""Writes a demo plan to the database: reference data first, then the bulk master data.

Every row has a natural key (code, username, model + serial number …); only missing rows
are inserted, so loading twice changes nothing. The volume goes through ``bulk_create``;
instead of one audit row per record, one summary row per model records the demo load.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from aftersales.accounts.models import Department, User
from aftersales.catalog.models import Part, PriceList, PriceListItem
from aftersales.core.models import AuditEvent, CompanySettings, Region
from aftersales.core.text import initials
from aftersales.customers.models import Contact, Customer, ServiceContract, Site
from aftersales.dealers.models import Dealer
from aftersales.demo import catalog_data as cd
from aftersales.demo import data as d
from aftersales.demo import people
from aftersales.demo.activity import load_activity
from aftersales.demo.defaults import POLICY_7X24, DefaultsReport, ensure_defaults
from aftersales.demo.plan import DemoPlan, Size, make_plan
from aftersales.installed_base.models import (
    Equipment,
    EquipmentComponent,
    ProductCategory,
    ProductModel,
    WarrantyPolicy,
)
from aftersales.parts.models import PartsRequest
from aftersales.quality.models import Complaint
from aftersales.returns.models import ReturnRequest
from aftersales.service.models import Ticket
from aftersales.sla.models import SlaPolicy
from aftersales.staff.models import DutyShift, StaffProfile

BATCH = 1000
DEMO_HOTLINE = "400-820-1234"


@dataclass
class LoadReport:
    created: dict[type[models.Model], int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)
    defaults: DefaultsReport = field(default_factory=DefaultsReport)

    def add(self, model: type[models.Model], count: int) -> None:
        if count:
            self.created[model] = self.created.get(model, 0) + count

    @property
    def total(self) -> int:
        return sum(self.created.values())


class _Loader:
    def __init__(self, plan: DemoPlan, report: LoadReport) -> None:
        self.plan = plan
        self.report = report
        self.regions: dict[str, Region] = {}
        self.departments: dict[str, Department] = {}
        self.categories: dict[str, ProductCategory] = {}
        self.models: dict[str, int] = {}
        self.dealers: dict[str, int] = {}
        self.customers: dict[str, int] = {}
        self.sites: dict[str, int] = {}
        self.users: dict[str, int] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.report.timings.append((name, time.perf_counter() - started))

    def _get_or_create(
        self, model: type[Any], lookup: dict[str, Any], defaults: dict[str, Any]
    ) -> Any:
        obj, created = model.objects.get_or_create(**lookup, defaults=defaults)
        self.report.add(model, int(created))
        return obj

    def regions_and_departments(self) -> None:
        for r in d.REGIONS:
            self.regions[r.code] = self._get_or_create(
                Region,
                {"code": r.code},
                {
                    "name": r.name,
                    "province": r.province,
                    "centre_lat": Decimal(f"{r.hub.lat:.6f}"),
                    "centre_lng": Decimal(f"{r.hub.lng:.6f}"),
                },
            )
        for a, b in d.NEIGHBOURS:
            self.regions[a].neighbours.add(self.regions[b])
        if not CompanySettings.objects.exists():  # the hotline the QR page and errors show
            self._get_or_create(CompanySettings, {"hotline": DEMO_HOTLINE}, {})
        for code, name, parent in d.DEPARTMENTS:
            self.departments[code] = self._get_or_create(
                Department,
                {"code": code},
                {
                    "name": name,
                    "parent": self.departments.get(parent),
                },
            )

    def catalogue(self) -> None:
        for code, name in cd.CATEGORIES:
            self.categories[code] = self._get_or_create(
                ProductCategory,
                {"code": code},
                {"name": name, "remote_service": code in cd.REMOTE_CATEGORIES},
            )
        active = set(
            WarrantyPolicy.objects.active().values_list("category__code", "component_code")
        )
        for p in cd.WARRANTY_POLICIES:
            if (p.category, p.component_code) in active:
                continue  # an administrator's own policy for this category stays in force
            policy = WarrantyPolicy(
                code=p.code,
                name=p.name,
                category=self.categories[p.category],
                component_code=p.component_code,
                period_kind="seasons" if p.seasons else "months",
                months=p.months,
                seasons=p.seasons,
                season_name=p.season_name,
                season_start=p.season_start,
                season_end=p.season_end,
                start_event=p.start_event,
                latent_defect_months=p.latent_defect_months,
                card_deadline_days=p.card_deadline_days,
                waive_labour_out_of_warranty=p.waive_labour_out_of_warranty,
                exclusions=p.exclusions,
            )
            policy.full_clean()
            policy.save()
            self.report.add(WarrantyPolicy, 1)
        for m in cd.MODELS:
            obj = self._get_or_create(
                ProductModel,
                {"code": m.code},
                {
                    "category": self.categories[m.category],
                    "name": m.name,
                    "brand": m.brand,
                    "discontinued_on": dt.date.fromisoformat(m.discontinued_on)
                    if m.discontinued_on
                    else None,
                    "parts_supply_years": m.parts_supply_years,
                },
            )
            self.models[m.code] = obj.pk

    def parts(self) -> None:
        have = set(Part.objects.values_list("code", flat=True))
        new = [
            Part(
                code=p.code,
                name=p.name,
                name_initials=initials(p.name),
                model=p.model,
                specification=p.specification,
                category=self.categories.get(p.category),
                usage=p.usage,
                unit=p.unit,
                unit_cost=p.unit_cost,
                price=p.price,
                is_wear_part=p.wear,
            )
            for p in cd.PARTS
            if p.code not in have
        ]
        self.report.add(Part, len(Part.objects.bulk_create(new)))
        by_code = {p.code: p for p in Part.objects.filter(code__in=[x.code for x in cd.PARTS])}
        for a, b in cd.SUBSTITUTES:
            by_code[a].substitutes.add(by_code[b])
        # a part fits the models of its product line (their supply years keep it in stock)
        for part in by_code.values():
            if part.category_id and not part.product_models.exists():
                part.product_models.add(*ProductModel.objects.filter(category_id=part.category_id))
        spec = cd.PRICE_LIST
        price_list = PriceList.objects.filter(code=spec["code"]).first()
        if price_list is None:
            price_list = PriceList.objects.create(
                **spec,
                valid_from=dt.date(self.plan.today.year, 1, 1),
                is_default=not PriceList.objects.active().filter(is_default=True).exists(),
            )
            self.report.add(PriceList, 1)
        priced = set(price_list.items.values_list("part_id", flat=True))
        items = [
            PriceListItem(price_list=price_list, part=p, price=p.price)
            for p in by_code.values()
            if p.pk not in priced
        ]
        self.report.add(PriceListItem, len(PriceListItem.objects.bulk_create(items)))

    def dealers_(self) -> None:
        have = dict(Dealer.objects.values_list("code", "pk"))
        new = [
            Dealer(
                code=x.code,
                name=x.name,
                level=x.level,
                region=self.regions[x.region],
                contact_name=x.contact_name,
                phone=x.phone,
                address=x.address,
                receivables=x.receivables,
            )
            for x in self.plan.dealers
            if x.code not in have
        ]
        created = Dealer.objects.bulk_create(new)
        from aftersales.dealers.services.claims import open_ledger

        for dealer in created:  # a starting balance is the ledger's opening entry
            open_ledger(dealer, None)
        self.report.add(Dealer, len(created))
        self.dealers = {**have, **{x.code: x.pk for x in created}}

    def staff(self) -> None:
        created = people.create_users(
            staff=self.plan.staff,
            logins=(),
            regions=self.regions,
            departments=self.departments,
            dealer_ids={},
            customer_ids={},
        )
        self.report.add(User, len(created))
        profiles = people.create_profiles(
            staff=self.plan.staff, regions=self.regions, categories=self.categories
        )
        self.report.add(StaffProfile, len(profiles))
        self.users = dict(User.objects.values_list("username", "pk"))

    def customers_(self) -> None:
        have = dict(Customer.objects.values_list("code", "pk"))
        plans = [c for c in self.plan.customers if c.code not in have]
        new = [
            Customer(
                code=c.code,
                name=c.name,
                name_initials=initials(c.name),
                kind=Customer.Kind.INDIVIDUAL if c.individual else Customer.Kind.ORGANISATION,
                tier=Customer.Tier.KEY if c.key else Customer.Tier.NORMAL,
                region=self.regions[c.region],
                dealer_id=self.dealers.get(c.dealer_code),
                phone=c.phone,
                address=c.address,
            )
            for c in plans
        ]
        created = Customer.objects.bulk_create(new, batch_size=BATCH)
        self.report.add(Customer, len(created))
        contacts = [
            Contact(
                customer=obj,
                name=x.name,
                mobile=x.mobile,
                phone=x.phone,
                title=x.title,
                is_primary=x.is_primary,
            )
            for plan, obj in zip(plans, created, strict=True)
            for x in plan.contacts
        ]
        self.report.add(Contact, len(Contact.objects.bulk_create(contacts, batch_size=BATCH)))
        self.customers = {**have, **{c.code: c.pk for c in created}}

    def sites_(self) -> None:
        have = dict(Site.objects.values_list("code", "pk"))
        new = [
            Site(
                code=s.code,
                customer_id=self.customers[s.customer_code],
                name=s.name,
                address=s.address,
                lat=s.lat,
                lng=s.lng,
                region=self.regions[s.region],
                is_project=s.is_project,
                completion_date=s.completion_date,
                acceptance_date=s.acceptance_date,
                responsible_engineer_id=self.users.get(s.engineer),
            )
            for s in self.plan.sites
            if s.code not in have and s.customer_code in self.customers
        ]
        created = Site.objects.bulk_create(new, batch_size=BATCH)
        self.report.add(Site, len(created))
        self.sites = {**have, **{s.code: s.pk for s in created}}

    def equipment(self) -> None:
        have = set(Equipment.objects.values_list("model__code", "serial_no"))
        plans = [
            e
            for e in self.plan.equipment
            if (e.model_code, e.serial_no) not in have and e.site_code in self.sites
        ]
        new = [
            Equipment(
                model_id=self.models[e.model_code],
                serial_no=e.serial_no,
                quantity=e.quantity,
                site_id=self.sites[e.site_code],
                software_version=e.software_version,
                connection=e.connection,
                sale_date=e.sale_date,
                installation_date=e.installation_date,
                acceptance_date=e.acceptance_date,
                dealer_id=self.dealers.get(e.dealer_code),
                card_status=e.card_status,
                card_no=e.card_no,
                card_received_date=e.card_received_date,
                notes=e.notes,
            )
            for e in plans
        ]
        created = Equipment.objects.bulk_create(new, batch_size=BATCH)
        self.report.add(Equipment, len(created))
        components = [
            EquipmentComponent(
                equipment=obj,
                code=c.code,
                name=c.name,
                serial_no=c.serial_no,
                fitted_date=c.fitted_date,
                warranty_months=c.warranty_months,
                fitted_in_warranty_repair=c.fitted_in_warranty_repair,
            )
            for plan, obj in zip(plans, created, strict=True)
            for c in plan.components
        ]
        self.report.add(
            EquipmentComponent,
            len(EquipmentComponent.objects.bulk_create(components, batch_size=BATCH)),
        )

    def contracts(self) -> None:
        have = set(ServiceContract.objects.values_list("code", flat=True))
        policy_7x24 = SlaPolicy.objects.filter(code=POLICY_7X24).first()
        plans = [
            c
            for c in self.plan.contracts
            if c.code not in have and c.customer_code in self.customers
        ]
        new = [
            ServiceContract(
                code=c.code,
                customer_id=self.customers[c.customer_code],
                name=c.name,
                start_date=c.start_date,
                end_date=c.end_date,
                covers_parts=c.covers_parts,
                covers_labour=c.covers_labour,
                covers_travel=c.covers_travel,
                covers_misuse=c.covers_misuse,
                is_7x24=c.is_7x24,
                sla_policy=policy_7x24 if c.is_7x24 else None,
                maintenance_plan=c.maintenance_plan,
                price=c.price,
            )
            for c in plans
        ]
        created = ServiceContract.objects.bulk_create(new)
        self.report.add(ServiceContract, len(created))
        through = ServiceContract.sites.through
        through.objects.bulk_create(
            [
                through(servicecontract_id=obj.pk, site_id=self.sites[code])
                for plan, obj in zip(plans, created, strict=True)
                for code in plan.site_codes
            ]
        )

    def logins(self) -> None:
        created = people.create_users(
            staff=(),
            logins=self.plan.logins,
            regions=self.regions,
            departments=self.departments,
            dealer_ids=self.dealers,
            customer_ids=self.customers,
        )
        self.report.add(User, len(created))

    def roster(self) -> None:
        shifts = people.create_roster(today=self.plan.today, staff=self.plan.staff)
        self.report.add(DutyShift, len(shifts))

    def audit_summary(self) -> None:
        """One audit row per model: what the demo load created."""
        now = timezone.now()
        rows = [
            AuditEvent(
                content_type=ContentType.objects.get_for_model(model),
                object_id="demo",
                object_repr=f"演示数据：{model._meta.verbose_name} {count} 条",
                action=AuditEvent.Action.CREATE,
                verb="load_demo",
                actor=None,
                actor_repr="系统",
                at=now,
                payload={
                    "count": count,
                    "size": self.plan.size.label,
                    "factor": self.plan.size.factor,
                    "seed": self.plan.seed,
                },
            )
            for model, count in self.report.created.items()
        ]
        AuditEvent.objects.bulk_create(rows)


STEPS: tuple[tuple[str, Callable[[_Loader], None]], ...] = (
    ("片区与部门", _Loader.regions_and_departments),
    ("产品类别、型号与保修政策", _Loader.catalogue),
    ("配件与收费标准", _Loader.parts),
    ("经销商", _Loader.dealers_),
    ("员工账号与人员档案", _Loader.staff),
    ("客户与联系人", _Loader.customers_),
    ("项目/现场", _Loader.sites_),
    ("设备与部件", _Loader.equipment),
    ("维保合同", _Loader.contracts),
    ("经销商与客户门户账号", _Loader.logins),
    ("值班表", _Loader.roster),
    ("审计汇总", _Loader.audit_summary),
)


@transaction.atomic
def load_demo(*, size: Size, seed: int = 2026, today: dt.date | None = None) -> LoadReport:
    """Load (or complete) the demo data for ``size``; idempotent for the same size and seed."""
    today = today or timezone.localdate()
    report = LoadReport()
    started = time.perf_counter()
    report.defaults = ensure_defaults(today=today)
    report.timings.append(("工作日历与SLA默认政策", time.perf_counter() - started))
    started = time.perf_counter()
    plan = make_plan(size, seed, today)
    report.timings.append(("生成演示数据", time.perf_counter() - started))
    loader = _Loader(plan, report)
    for name, step in STEPS:
        with loader.step(name):
            step(loader)
    started = time.perf_counter()
    activity = load_activity(tickets=size.tickets, seed=seed)
    report.add(Ticket, activity.tickets)
    report.add(PartsRequest, activity.parts_requests)
    report.add(ReturnRequest, activity.returns)
    report.add(Complaint, activity.complaints)
    report.timings.append(("报修单、补件、退货", time.perf_counter() - started))
    started = time.perf_counter()
    from aftersales.reports.services import summary

    summary.rebuild_recent()  # the KPI board shows the demo's figures at once
    report.timings.append(("报表汇总", time.perf_counter() - started))
    return report
