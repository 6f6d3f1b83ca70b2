"""Planning the company side: dealers, staff with skills and home bases, portal logins."""

from __future__ import annotations

import random

from aftersales.demo import catalog_data as cd
from aftersales.demo import data as d
from aftersales.demo.plan.fake import Fake
from aftersales.demo.plan.types import CustomerPlan, DealerPlan, LoginPlan, Size, StaffPlan


def dealers(size: Size, seed: int) -> tuple[DealerPlan, ...]:
    g = Fake(seed, "dealers")
    templates = (
        (d.DEALER_NAMES[0], ("agri", "software")),
        (d.DEALER_NAMES[1], ("window",)),
        (d.DEALER_NAMES[2], ("hvac", "window")),
        (d.DEALER_NAMES[3], ("agri", "software")),
    )
    out: list[DealerPlan] = []
    used: set[str] = set()
    for i in range(size.dealers):
        region = d.REGIONS[i % len(d.REGIONS)]
        city = region.all_cities[(i // len(d.REGIONS)) % len(region.all_cities)]
        template, lines = templates[i % len(templates)]
        name = ""
        for _ in range(100):
            name = template.format(city=city.name, word=g.rng.choice(d.COMPANY_WORDS))
            if name not in used:
                break
        used.add(name)
        level = "A" if i < len(d.REGIONS) else g.rng.choice("BBC")
        out.append(
            DealerPlan(
                code=f"JXS{i + 1:03d}",
                name=name,
                level=level,
                region=region.code,
                city=city.name,
                lines=lines,
                contact_name=g.person(),
                phone=g.mobile(),
                address=g.street(city),
                receivables=g.money(0, 30_000_000, 100) / 100,
            )
        )
    return tuple(out)


def _technician_skills(count: int, offset: int, rng: random.Random) -> list[list[str]]:
    """1–3 product categories per technician of one region, every category covered when the
    region has enough technicians; ``offset`` varies the pattern between regions."""
    cats = [c for c, _ in cd.CATEGORIES]
    skills: list[list[str]] = []
    for k in range(count):
        mine = [cats[(2 * k + offset) % len(cats)], cats[(2 * k + 1 + offset) % len(cats)]]
        if k % 4 == 2:
            mine.append(rng.choice([c for c in cats if c not in mine]))
        elif k % 4 == 3:
            mine = mine[:1]
        skills.append(mine)
    for cat in cats:  # every category covered in the region when there are enough people
        if not any(cat in s for s in skills):
            candidates = [s for s in skills if len(s) < 3]
            if candidates:
                min(candidates, key=len).append(cat)
    return skills


def staff(size: Size, seed: int) -> tuple[StaffPlan, ...]:
    g = Fake(seed, "staff")
    out: list[StaffPlan] = []
    number = 0
    for seat in d.STAFF_SEATS:
        number += 1
        out.append(
            StaffPlan(
                username=seat.username,
                role=seat.role,
                display_name=g.person(),
                department=seat.department,
                region=seat.region,
                employee_no=f"E{number:04d}",
                phone=g.mobile(),
            )
        )
    by_region: dict[str, list[int]] = {r.code: [] for r in d.REGIONS}
    for i in range(size.technicians):
        by_region[d.REGIONS[i % len(d.REGIONS)].code].append(i)
    skills_of: dict[int, list[str]] = {}
    position: dict[int, int] = {}
    for r, region in enumerate(d.REGIONS):
        indices = by_region[region.code]
        for k, (i, skills) in enumerate(
            zip(indices, _technician_skills(len(indices), r, g.rng), strict=True)
        ):
            skills_of[i] = skills
            position[i] = k
    for i in range(size.technicians):
        region = d.REGIONS[i % len(d.REGIONS)]
        city = region.all_cities[position[i] % len(region.all_cities)]
        lat, lng = g.near(city, 0.04)
        number += 1
        out.append(
            StaffPlan(
                username=f"technician{i + 1}",
                role="technician",
                display_name=g.person(),
                department="SH",
                region=region.code,
                employee_no=f"E{number:04d}",
                phone=g.mobile(),
                skills=tuple(skills_of[i]),
                home_address=f"{g.street(city)}（{city.name}服务站）",
                home_lat=lat,
                home_lng=lng,
            )
        )
    return tuple(out)


def logins(
    size: Size, dealers: tuple[DealerPlan, ...], customers: tuple[CustomerPlan, ...]
) -> tuple[LoginPlan, ...]:
    out = [
        LoginPlan(f"dealer{i + 1}", "dealer", x.contact_name, x.phone, dealer_code=x.code)
        for i, x in enumerate(dealers)
    ]
    wanted = [
        "hospital",
        "farm",
        "school",
        "homeowner",
        "mall",
        "farmer",
        "factory",
        "office",
        "government",
        "dealer_business",
        "venue",
    ]
    chosen: list[CustomerPlan] = [customers[0]]
    while len(chosen) < min(size.customer_logins, len(customers)):
        before = len(chosen)
        for type_code in wanted:
            match = next(
                (c for c in customers if c.type_code == type_code and c not in chosen), None
            )
            if match and len(chosen) < size.customer_logins:
                chosen.append(match)
        if len(chosen) == before:
            break
    for i, c in enumerate(chosen):
        contact = c.contacts[0]
        out.append(
            LoginPlan(
                f"customer{i + 1}", "customer", contact.name, contact.mobile, customer_code=c.code
            )
        )
    return tuple(out)
