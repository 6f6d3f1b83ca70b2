"""The demo data as a plan: plain values with no database access. ``make_plan`` builds one
from the static tables and a seeded random generator; the same size, seed and day always
give the same plan, so the loader can insert only the rows that are missing (idempotent)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

SIZES: dict[str, float] = {"small": 0.1, "default": 1.0, "large": 10.0}
MAX_FACTOR = 50.0


@dataclass(frozen=True)
class Size:
    """Volumes for a scale factor; ``default`` (1.0) is 200 customers, 400 sites, 2 000
    pieces of equipment, 10 dealers, 15 technicians (30 staff)."""

    factor: float

    @property
    def label(self) -> str:
        names = {v: k for k, v in SIZES.items()}
        return names.get(self.factor, f"×{self.factor:g}")

    def _n(self, base: int, minimum: int) -> int:
        return max(minimum, round(base * self.factor))

    @property
    def customers(self) -> int:
        return self._n(200, 5)

    @property
    def sites(self) -> int:
        return max(self.customers, self._n(400, 10))

    @property
    def equipment(self) -> int:
        return max(self.sites, self._n(2000, 20))

    @property
    def dealers(self) -> int:
        return self._n(10, 2)

    @property
    def technicians(self) -> int:
        return self._n(15, 6)

    @property
    def customer_logins(self) -> int:
        return min(20, self._n(5, 2))

    @property
    def contracts(self) -> int:
        return self._n(8, 2)

    @property
    def tickets(self) -> int:
        """Service requests in every stage of the flow (at most 120: a demo, not a load)."""
        return min(120, self._n(60, 10))


def parse_size(text: str) -> Size:
    """``small`` / ``default`` / ``large`` or a scale factor such as ``0.5`` or ``3``."""
    key = text.strip().lower()
    if key in SIZES:
        return Size(SIZES[key])
    try:
        factor = float(key)
    except ValueError:
        raise ValueError(f"无效的规模：{text}（可用 small / default / large 或倍数）") from None
    if not 0 < factor <= MAX_FACTOR:
        raise ValueError(f"规模倍数必须大于0且不超过{MAX_FACTOR:g}")
    return Size(factor)


@dataclass(frozen=True)
class DealerPlan:
    code: str
    name: str
    level: str
    region: str
    city: str
    lines: tuple[str, ...]  # product categories the dealer sells
    contact_name: str
    phone: str
    address: str
    receivables: Decimal


@dataclass(frozen=True)
class StaffPlan:
    username: str
    role: str
    display_name: str
    department: str
    region: str
    employee_no: str
    phone: str
    skills: tuple[str, ...] = ()
    home_address: str = ""
    home_lat: Decimal | None = None
    home_lng: Decimal | None = None


@dataclass(frozen=True)
class LoginPlan:
    """A dealer's or a customer's portal login."""

    username: str
    role: str
    display_name: str
    phone: str
    dealer_code: str = ""
    customer_code: str = ""


@dataclass(frozen=True)
class ContactPlan:
    name: str
    mobile: str
    phone: str
    title: str
    is_primary: bool


@dataclass(frozen=True)
class CustomerPlan:
    code: str
    name: str
    individual: bool
    key: bool
    type_code: str
    region: str
    city: str
    dealer_code: str
    phone: str
    address: str
    contacts: tuple[ContactPlan, ...]


@dataclass(frozen=True)
class SitePlan:
    code: str
    customer_code: str
    name: str
    address: str
    lat: Decimal
    lng: Decimal
    region: str
    is_project: bool
    completion_date: dt.date | None
    acceptance_date: dt.date | None
    engineer: str  # technician's username, "" = none


@dataclass(frozen=True)
class ComponentPlan:
    code: str
    name: str
    serial_no: str
    fitted_date: dt.date
    warranty_months: int | None = None
    fitted_in_warranty_repair: bool = False


@dataclass(frozen=True)
class EquipmentPlan:
    model_code: str
    serial_no: str
    quantity: int
    site_code: str
    software_version: str
    connection: str
    sale_date: dt.date | None
    installation_date: dt.date | None
    acceptance_date: dt.date | None
    dealer_code: str
    card_status: str  # none / received / mismatch / altered
    card_no: str
    card_received_date: dt.date | None
    notes: str
    components: tuple[ComponentPlan, ...]


@dataclass(frozen=True)
class ContractPlan:
    code: str
    customer_code: str
    name: str
    start_date: dt.date
    end_date: dt.date
    site_codes: tuple[str, ...]  # empty = every site of the customer
    covers_parts: bool
    covers_labour: bool
    covers_travel: bool
    covers_misuse: bool
    is_7x24: bool
    maintenance_plan: str
    price: Decimal


@dataclass(frozen=True)
class DemoPlan:
    size: Size
    seed: int
    today: dt.date
    dealers: tuple[DealerPlan, ...]
    staff: tuple[StaffPlan, ...]
    customers: tuple[CustomerPlan, ...]
    sites: tuple[SitePlan, ...]
    equipment: tuple[EquipmentPlan, ...]
    contracts: tuple[ContractPlan, ...]
    logins: tuple[LoginPlan, ...]
