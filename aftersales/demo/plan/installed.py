"""Planning the installed base: customers with contacts, sites / projects, equipment with
components and warranty cards, service contracts."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from aftersales.demo import catalog_data as cd
from aftersales.demo import data as d
from aftersales.demo.plan.fake import Fake, coord
from aftersales.demo.plan.types import (
    ComponentPlan,
    ContactPlan,
    ContractPlan,
    CustomerPlan,
    DealerPlan,
    EquipmentPlan,
    SitePlan,
    Size,
    StaffPlan,
)


def _districts(ctype: d.CustomerType, city: d.City) -> tuple[str, ...]:
    """Where customers of the type are: farms in the outer districts (listed last)."""
    return city.districts[-2:] if ctype.suburban else city.districts


def _customer_name(
    g: Fake, ctype: d.CustomerType, city: d.City, district: str, used: set[str]
) -> tuple[str, str, str]:
    """A unique customer name, the person's name (for individuals) and the district."""
    for _ in range(60):
        person = g.person() if ctype.individual else g.person(unique=False)
        name = g.rng.choice(ctype.names).format(
            city=city.name,
            district=district,
            word=g.rng.choice(d.COMPANY_WORDS),
            industry=g.rng.choice(d.INDUSTRIES),
            n=g.rng.choice(d.CN_ORDINALS),
            village=g.rng.choice(d.VILLAGES),
            person=person,
        )
        if name not in used:
            used.add(name)
            return name, person, district
        district = g.rng.choice(_districts(ctype, city))
    name = f"{name}（{city.name}{len(used) + 1}）"
    used.add(name)
    return name, person, district


def _pick_dealer(
    dealers: tuple[DealerPlan, ...],
    ctype: d.CustomerType,
    region: str,
    city: str,
    rng: random.Random,
) -> str:
    lines = set(ctype.categories)
    tiers = (
        [x for x in dealers if x.city == city and lines.intersection(x.lines)],
        [x for x in dealers if x.region == region and lines.intersection(x.lines)],
        [x for x in dealers if lines.intersection(x.lines)],
        [x for x in dealers if x.region == region],
        list(dealers),
    )
    for candidates in tiers:
        if candidates:
            return rng.choice(candidates).code
    return ""


def customers(size: Size, seed: int, dealers: tuple[DealerPlan, ...]) -> tuple[CustomerPlan, ...]:
    g = Fake(seed, "customers")
    used: set[str] = set()
    out: list[CustomerPlan] = []
    region_weights = [0.45, 0.3, 0.25]
    for i in range(size.customers):
        if i == 0:
            name, type_code, region_code, district = d.FLAGSHIP_CUSTOMER
            ctype = d.CUSTOMER_TYPE_BY_CODE[type_code]
            region = d.REGION_BY_CODE[region_code]
            city = region.hub
            person = ""
            used.add(name)
            key = True
        else:
            ctype = g.rng.choices(d.CUSTOMER_TYPES, [t.share for t in d.CUSTOMER_TYPES])[0]
            region = g.rng.choices(d.REGIONS, region_weights)[0]
            others = region.cities
            city = region.hub if g.rng.random() < 0.4 else g.rng.choice(others)
            district = g.rng.choice(_districts(ctype, city))
            name, person, district = _customer_name(g, ctype, city, district, used)
            key = g.rng.random() < ctype.key_share
        dealer = (
            _pick_dealer(dealers, ctype, region.code, city.name, g.rng)
            if (ctype.dealer_sold)
            else ""
        )
        contacts: list[ContactPlan] = []
        if ctype.individual:
            mobile = g.mobile()
            contacts.append(ContactPlan(person, mobile, "", ctype.titles[0], True))
            phone = mobile
            address = (
                g.rural(city, district, g.rng.choice(d.VILLAGES))
                if ctype.suburban
                else g.home(city)
            )
        else:
            phone = g.landline(city)
            address = (
                g.rural(city, district, g.rng.choice(d.VILLAGES))
                if ctype.suburban
                else g.street(city, district)
            )
            for k in range(g.rng.choice((1, 2, 2, 3))):
                contacts.append(
                    ContactPlan(
                        g.person(unique=False),
                        g.mobile(),
                        phone if k == 0 else "",
                        ctype.titles[k % len(ctype.titles)],
                        k == 0,
                    )
                )
        out.append(
            CustomerPlan(
                code=f"KH{i + 1:05d}",
                name=name,
                individual=ctype.individual,
                key=key,
                type_code=ctype.code,
                region=region.code,
                city=city.name,
                dealer_code=dealer,
                phone=phone,
                address=address,
                contacts=tuple(contacts),
            )
        )
    return tuple(out)


def _city(region: str, name: str) -> d.City:
    return next(c for c in d.REGION_BY_CODE[region].all_cities if c.name == name)


def sites(
    size: Size,
    seed: int,
    today: dt.date,
    customers: tuple[CustomerPlan, ...],
    staff: tuple[StaffPlan, ...],
) -> tuple[SitePlan, ...]:
    g = Fake(seed, "sites")
    counts = [1] * len(customers)
    weights = [
        (0.1 if c.individual else d.CUSTOMER_TYPE_BY_CODE[c.type_code].weight) * (3 if c.key else 1)
        for c in customers
    ]
    for idx in g.rng.choices(range(len(customers)), weights, k=size.sites - len(customers)):
        counts[idx] += 1
    techs = [s for s in staff if s.role == "technician"]
    out: list[SitePlan] = []
    for customer, count in zip(customers, counts, strict=True):
        ctype = d.CUSTOMER_TYPE_BY_CODE[customer.type_code]
        labels = list(ctype.site_names)
        g.rng.shuffle(labels)
        if customer.code == "KH00001":
            labels.remove("主场馆")
            labels.insert(0, "主场馆")
        home_city = _city(customer.region, customer.city)
        village = g.rng.choice(d.VILLAGES)
        campus = (coord(home_city.lat), coord(home_city.lng))
        for k in range(count):
            label = labels[k] if k < len(labels) else f"{k + 1}号项目"
            person = customer.name if customer.individual else ""
            label = label.format(village=village, person=person)
            name = label if customer.individual else f"{customer.name}{label}"
            city = home_city
            if k and ctype.multi_city and g.rng.random() < 0.3:
                city = g.rng.choice(d.REGION_BY_CODE[customer.region].all_cities)
            district = g.rng.choice(_districts(ctype, city))
            if k == 0:
                address = customer.address
                lat, lng = g.near(city, 0.12 if ctype.suburban else 0.06)
                campus = (lat, lng)
            elif city is home_city and not ctype.individual and not ctype.suburban:
                address = customer.address  # another building on the same campus
                lat, lng = g.around(campus, 0.002)
            else:
                address = (
                    g.rural(city, district, village)
                    if ctype.suburban
                    else g.home(city)
                    if ctype.individual
                    else g.street(city, district)
                )
                lat, lng = g.near(city, 0.12 if ctype.suburban else 0.06)
            acceptance: dt.date | None = None
            completion: dt.date | None = None
            if ctype.project:
                completion = today - dt.timedelta(days=g.rng.randint(15, 4 * 365))
                pending = (today - completion).days < 60 and g.rng.random() < 0.4
                if not pending:
                    acceptance = min(today, completion + dt.timedelta(days=g.rng.randint(3, 30)))
            local = [t for t in techs if t.region == customer.region]
            top = max(ctype.categories, key=lambda c: ctype.categories[c])
            skilled = [t for t in local if top in t.skills] or local
            engineer = g.rng.choice(skilled).username if skilled and ctype.project else ""
            out.append(
                SitePlan(
                    code=f"XM{len(out) + 1:05d}",
                    customer_code=customer.code,
                    name=name,
                    address=address,
                    lat=lat,
                    lng=lng,
                    region=customer.region,
                    is_project=ctype.project,
                    completion_date=completion,
                    acceptance_date=acceptance,
                    engineer=engineer,
                )
            )
    return tuple(out)


def _card(
    g: Fake, sale: dt.date, today: dt.date, serial: str
) -> tuple[str, str, dt.date | None, str]:
    """三包回执卡: mostly back within 20 days, some late, some missing, a few mismatched."""
    roll = g.rng.random()
    card_no = f"SB{sale:%y%m%d}{serial[-5:]}"
    if roll < 0.78:
        received = sale + dt.timedelta(days=g.rng.randint(1, 20))
        status, note = "received", ""
    elif roll < 0.88:
        received = sale + dt.timedelta(days=g.rng.randint(21, 75))
        status, note = "received", "三包卡逾期回寄"
    elif roll < 0.96:
        return "none", "", None, "经销商未回寄三包卡"
    elif roll < 0.99:
        received = sale + dt.timedelta(days=g.rng.randint(3, 20))
        status, note = "mismatch", "三包卡登记型号/出厂编号与实物不符"
    else:
        received = sale + dt.timedelta(days=g.rng.randint(3, 20))
        status, note = "altered", "三包卡销售日期有涂改痕迹"
    if received > today:
        return "none", "", None, "三包卡尚未寄回"
    return status, card_no, received, note


def _components(
    g: Fake, model: cd.ModelData, fitted: dt.date, today: dt.date, counters: dict[str, int]
) -> tuple[ComponentPlan, ...]:
    out: list[ComponentPlan] = []
    for tpl in model.components:
        if g.rng.random() >= tpl.share:
            continue
        counters[tpl.code] = counters.get(tpl.code, 0) + 1
        serial = f"{tpl.serial_prefix}{fitted:%y}{counters[tpl.code]:06d}"
        age = (today - fitted).days
        if age > 150 and g.rng.random() < 0.07:  # replaced in an earlier warranty repair
            when = fitted + dt.timedelta(days=g.rng.randint(60, age - 30))
            counters[tpl.code] += 1
            serial = f"{tpl.serial_prefix}{when:%y}{counters[tpl.code]:06d}"
            out.append(ComponentPlan(tpl.code, tpl.name, serial, when, 12, True))
        else:
            out.append(ComponentPlan(tpl.code, tpl.name, serial, fitted))
    return tuple(out)


def _quantity(g: Fake, model: cd.ModelData, *, individual: bool) -> int:
    low, high = model.quantity
    return g.rng.randint(low, min(high, max(low, 12)) if individual else high)


def equipment(
    size: Size,
    seed: int,
    today: dt.date,
    customers: tuple[CustomerPlan, ...],
    sites: tuple[SitePlan, ...],
) -> tuple[EquipmentPlan, ...]:
    g = Fake(seed, "equipment")
    by_code = {c.code: c for c in customers}
    models_of: dict[str, list[cd.ModelData]] = {}
    for m in cd.MODELS:
        models_of.setdefault(m.category, []).append(m)
    counts = [1] * len(sites)
    weights = []
    for s in sites:
        c = by_code[s.customer_code]
        weights.append(d.CUSTOMER_TYPE_BY_CODE[c.type_code].weight * (1.5 if c.key else 1))
    for idx in g.rng.choices(range(len(sites)), weights, k=size.equipment - len(sites)):
        counts[idx] += 1
    serials: dict[str, int] = {}
    component_serials: dict[str, int] = {}
    out: list[EquipmentPlan] = []
    for site, count in zip(sites, counts, strict=True):
        customer = by_code[site.customer_code]
        ctype = d.CUSTOMER_TYPE_BY_CODE[customer.type_code]
        cats = list(ctype.categories)
        for _ in range(count):
            cat = g.rng.choices(cats, [ctype.categories[c] for c in cats])[0]
            if site.is_project and site.completion_date:
                installed = site.completion_date - dt.timedelta(days=g.rng.randint(0, 20))
                sale = installed - dt.timedelta(days=g.rng.randint(20, 120))
            else:
                sale = today - dt.timedelta(days=g.rng.randint(3, 4 * 365))
                installed = min(today, sale + dt.timedelta(days=g.rng.randint(0, 7)))
            allowed = [
                m
                for m in models_of[cat]
                if (m.code in ctype.models) or (not ctype.models and m.code not in cd.EXCLUSIVE)
            ] or models_of[cat]
            choices = [
                m
                for m in allowed
                if not m.discontinued_on or dt.date.fromisoformat(m.discontinued_on) > sale
            ]
            model = g.rng.choice(choices or models_of[cat])
            serials[model.code] = serials.get(model.code, 0) + 1
            n = serials[model.code]
            serial = (
                f"{model.serial_prefix}-{installed:%y%m}-{n:04d}"
                if "-" in model.serial_prefix
                else f"{model.serial_prefix}{installed:%y%m}{n:05d}"
            )
            card: tuple[str, str, dt.date | None, str] = ("none", "", None, "")
            if customer.dealer_code:
                card = _card(g, sale, today, serial)
            out.append(
                EquipmentPlan(
                    model_code=model.code,
                    serial_no=serial,
                    quantity=_quantity(g, model, individual=customer.individual),
                    site_code=site.code,
                    software_version=g.rng.choice(model.versions) if model.versions else "",
                    connection=model.connection,
                    sale_date=sale,
                    installation_date=installed,
                    acceptance_date=site.acceptance_date,
                    dealer_code=customer.dealer_code,
                    card_status=card[0],
                    card_no=card[1],
                    card_received_date=card[2],
                    notes=card[3],
                    components=_components(g, model, installed, today, component_serials),
                )
            )
    return _every_card_state(out)


# the rarer card states with their notes, when chance gave a small demo none of them
RARE_CARDS = (
    ("none", "经销商未回寄三包卡"),
    ("mismatch", "三包卡登记型号/出厂编号与实物不符"),
    ("altered", "三包卡销售日期有涂改痕迹"),
)


def _every_card_state(out: list[EquipmentPlan]) -> tuple[EquipmentPlan, ...]:
    """Every card state (none / received / mismatch / altered) on some dealer sale: a state
    chance left out is given to the last dealer sales whose card came back in time."""
    present = {e.card_status for e in out if e.dealer_code}
    spare = [
        i
        for i, e in enumerate(out)
        if e.dealer_code and e.card_status == "received" and not e.notes
    ]
    for status, note in RARE_CARDS:
        if status in present or len(spare) < 2:  # keep at least one in-time card
            continue
        i = spare.pop()
        e = out[i]
        out[i] = (
            replace(e, card_status="none", card_no="", card_received_date=None, notes=note)
            if status == "none"
            else replace(e, card_status=status, notes=note)
        )
    return tuple(out)


def contracts(
    size: Size,
    seed: int,
    today: dt.date,
    customers: tuple[CustomerPlan, ...],
    sites: tuple[SitePlan, ...],
) -> tuple[ContractPlan, ...]:
    g = Fake(seed, "contracts")
    candidates = [c for c in customers if c.key and not c.individual]
    sites_of: dict[str, list[str]] = {}
    for s in sites:
        sites_of.setdefault(s.customer_code, []).append(s.code)
    out: list[ContractPlan] = []
    for i, customer in enumerate(candidates[: size.contracts]):
        flagship = i == 0
        start = today - dt.timedelta(days=200 if flagship else g.rng.randint(30, 700))
        years = 2 if flagship else g.rng.choice((1, 1, 2))
        end = _add_years(start, years) - dt.timedelta(days=1)
        own = sites_of.get(customer.code, [])
        covered = tuple(own[:1]) if len(own) > 1 and g.rng.random() < 0.4 else ()
        name = f"{customer.name}{'7×24小时' if flagship else f'{start.year}年度'}维保合同"
        out.append(
            ContractPlan(
                code=f"WB{start:%Y}{i + 1:03d}",
                customer_code=customer.code,
                name=name,
                start_date=start,
                end_date=end,
                site_codes=covered,
                covers_parts=True,
                covers_labour=True,
                covers_travel=flagship or g.rng.random() < 0.7,
                covers_misuse=flagship,
                is_7x24=flagship,
                maintenance_plan=d.MAINTENANCE_PLANS[i % len(d.MAINTENANCE_PLANS)],
                price=g.money(30_000, 120_000, 100) * max(1, len(covered) or len(own)),
            )
        )
    return tuple(out)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return dt.date(day.year + years, 2, 28)
