"""10: rules that exist twice — keep one. Grep-able: a list of values (an enum: ``TextChoices``,
``StrEnum``…) is defined once; where a model needs Django choices of a pure rule's list it
builds them from it (``X = models.TextChoices("X", [... for x in rules.X])``), so the two
cannot drift. Names shared by different ideas in different apps (a notification's channel and
a ticket's channel) are different lists; within one app a name is one list."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the aftersales package
ENUM = re.compile(
    r"^class (\w+)\((?:models\.)?(?:TextChoices|IntegerChoices|StrEnum|Enum|IntEnum)\)", re.M
)
# each named once in the whole package, where its name says
ONE_HOME = {
    "Severity": "sla/rules.py",
    "CardStatus": "warranty/rules.py",
    "CauseClass": "warranty/rules.py",
    "Recurrence": "maintenance/rules.py",
    "ItemKind": "maintenance/rules.py",
}


def _definitions() -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if "migrations" in rel.parts or "tests" in rel.parts:
            continue
        for name in ENUM.findall(path.read_text(encoding="utf-8")):
            found[name].append(str(rel))
    return found


def test_the_shared_lists_have_one_home() -> None:
    found = _definitions()
    assert {name: found[name] for name in ONE_HOME} == {k: [v] for k, v in ONE_HOME.items()}


def test_no_app_defines_a_list_twice() -> None:
    twice = []
    for name, paths in _definitions().items():
        apps = [p.split("/")[0] for p in paths]
        twice += [f"{name}: {paths}" for app in set(apps) if apps.count(app) > 1]
    assert twice == []


def test_model_choices_are_built_from_the_rules() -> None:
    from aftersales.installed_base.models import Equipment
    from aftersales.maintenance import rules as maintenance_rules
    from aftersales.maintenance.models import ChecklistItem, MaintenancePlan
    from aftersales.sla import rules as sla_rules
    from aftersales.sla.models import SlaTarget
    from aftersales.warranty import rules as warranty_rules

    def values(model, field):  # type: ignore[no-untyped-def]
        return [v for v, _ in model._meta.get_field(field).choices]

    assert values(SlaTarget, "severity") == [s.value for s in sla_rules.Severity]
    assert values(Equipment, "card_status") == [c.value for c in warranty_rules.CardStatus]
    assert values(MaintenancePlan, "recurrence") == [r.value for r in maintenance_rules.Recurrence]
    assert values(ChecklistItem, "kind") == [k.value for k in maintenance_rules.ItemKind]
