"""Display names of the keys stored in the facts: records by id (region, team, category,
dealer, technician, part, model) and choice labels in the user's language, looked up once per
table."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _


def _choices(choices: Any) -> dict[str, str]:
    return {str(v): str(_(str(label))) for v, label in choices}


@dataclass(frozen=True)
class QuestionInfo:
    """A survey question as a table shows it: its survey, its text, its kind, where it sorts."""

    survey: str
    text: str
    kind: str
    order: tuple[str, int, int]


class Names:
    def __init__(self, ids: dict[str, set[Any]] | None = None) -> None:
        self.ids = ids or {}

    def _by_id(self, model: Any, field: str, ids: set[Any]) -> dict[int, str]:
        wanted = {int(i) for i in ids if str(i).lstrip("-").isdigit()}
        if not wanted:
            return {}
        return {
            pk: str(v)
            for pk, v in model._default_manager.filter(pk__in=wanted).values_list("pk", field)
        }

    @cached_property
    def _regions(self) -> dict[int, str]:
        from aftersales.core.models import Region

        return self._by_id(Region, "name", self.ids.get("region_id", set()))

    @cached_property
    def _teams(self) -> dict[int, str]:
        from aftersales.accounts.models import Department

        return self._by_id(Department, "name", self.ids.get("team_id", set()))

    @cached_property
    def _categories(self) -> dict[int, str]:
        from aftersales.installed_base.models import ProductCategory

        return self._by_id(ProductCategory, "name", self.ids.get("category_id", set()))

    @cached_property
    def _dealers(self) -> dict[int, str]:
        from aftersales.dealers.models import Dealer

        return self._by_id(Dealer, "name", self.ids.get("dealer_id", set()))

    @cached_property
    def _people(self) -> dict[int, str]:
        from aftersales.accounts.models import User

        wanted = {int(i) for i in self.ids.get("person", set()) if str(i).isdigit()}
        return {
            u.pk: str(u)
            for u in User.objects.filter(pk__in=wanted).only("display_name", "username")
        }

    def _none(self) -> str:
        return _("（未指定）")

    def region(self, pk: Any) -> str:
        return self._regions.get(pk, self._none()) if pk is not None else self._none()

    def team(self, pk: Any) -> str:
        return self._teams.get(pk, self._none()) if pk is not None else self._none()

    def category(self, pk: Any) -> str:
        return self._categories.get(pk, self._none()) if pk is not None else self._none()

    def dealer(self, pk: Any) -> str:
        return (
            self._dealers.get(pk, _("直销（无经销商）"))
            if pk is not None
            else _("直销（无经销商）")
        )

    @cached_property
    def _warehouses(self) -> dict[int, str]:
        from aftersales.stock.models import Warehouse

        return self._by_id(Warehouse, "name", self.ids.get("warehouse", set()))

    def warehouse(self, pk: Any) -> str:
        pk = int(pk) if str(pk).isdigit() else 0
        return self._warehouses.get(pk, self._none())

    def person(self, pk: Any) -> str:
        pk = int(pk) if str(pk).isdigit() else 0
        return self._people.get(pk, self._none())

    @cached_property
    def _questions(self) -> dict[int, QuestionInfo]:
        from aftersales.surveys.models import SurveyQuestion

        wanted = {int(i) for i in self.ids.get("survey_question", set()) if str(i).isdigit()}
        return {
            q.pk: QuestionInfo(str(q.survey), q.text, q.kind, (q.survey.code, q.position, q.pk))
            for q in SurveyQuestion.objects.filter(pk__in=wanted).select_related("survey")
        }

    def survey_question(self, pk: Any) -> QuestionInfo:
        pk = int(pk) if str(pk).isdigit() else 0
        found = self._questions.get(pk)
        return found or QuestionInfo(self._none(), self._none(), "", ("", 0, pk))

    def tier(self, code: str) -> str:
        from aftersales.customers.models import Customer

        return _choices(Customer.Tier.choices).get(code, self._none())

    @cached_property
    def _labels(self) -> dict[str, dict[str, str]]:
        from aftersales.maintenance.models import PlanKind
        from aftersales.quality.models.complaint import Complainant, ComplaintCategory
        from aftersales.service.models import Channel, TicketType
        from aftersales.service.models.report import Responsibility
        from aftersales.sla.models import Metric, Severity
        from aftersales.staff.models import FactKind
        from aftersales.stock.models import WarehouseKind
        from aftersales.warranty.rules import CAUSE_LABELS

        return {
            "metric": _choices(Metric.choices),
            "severity": _choices(Severity.choices),
            "channel": _choices(Channel.choices),
            "type": _choices(TicketType.choices),
            "cause": {str(k.value): str(_(v)) for k, v in CAUSE_LABELS.items()},
            "responsibility": _choices(Responsibility.choices),
            "outcome": {
                "free": _("免费"),
                "parts_at_cost": _("只收取工本费"),
                "chargeable": _("收费"),
                "excluded": _("不予保修"),
            },
            "charge": {"waived": _("免费"), "at_cost": _("成本价"), "at_price": _("按价目")},
            "age": {
                "lt1d": _("不足1天"),
                "1to3d": _("1–3天"),
                "3to7d": _("3–7天"),
                "7to30d": _("7–30天"),
                "gt30d": _("30天以上"),
            },
            "question": {
                "attitude": _("服务态度"),
                "quality": _("服务质量"),
                "score": _("总体评分"),
                "solved": _("问题已解决"),
                "unreachable": _("联系不上"),
            },
            "doc": {"parts": _("补件"), "returns": _("退货")},
            "complaint_category": _choices(ComplaintCategory.choices),
            "complainant": _choices(Complainant.choices),
            "plan_kind": _choices(PlanKind.choices),
            "warehouse_kind": _choices(WarehouseKind.choices),
            "fact_kind": _choices(FactKind.choices),
        }

    def label(self, kind: str, code: str) -> str:
        if not code:
            return self._none()
        return self._labels[kind].get(code, code)

    @cached_property
    def _steps(self) -> dict[str, str]:
        from aftersales.approvals.models import Deadline

        wanted = self.ids.get("step", set())
        out: dict[str, str] = {}
        for step, label in (
            Deadline.objects.filter(step__in=wanted).values_list("step", "label").distinct()[:500]
        ):
            out.setdefault(step, label)
        return out

    def step(self, code: str) -> str:
        return self._steps.get(code, code or self._none())
