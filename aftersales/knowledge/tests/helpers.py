"""A small knowledge-base world: the six demo categories with their models, the seeded
vocabulary, an editor, an agent, a technician, a dealer and a customer user, and a few
published cases — all through the services."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from aftersales import testing as t
from aftersales.demo.catalog_data import CATEGORIES, MODELS
from aftersales.installed_base.models import ProductModel
from aftersales.knowledge.models import Case
from aftersales.knowledge.search import vocabulary
from aftersales.knowledge.services import entries
from aftersales.knowledge.services.vocabulary import vocabulary_seed

World = SimpleNamespace


def publish(w: World, case: Case) -> Case:
    for action in ("review", "publish"):
        case = entries.case_move(actor=w.editor, case=case, action=action)
    return case


def case(w: World, category: str = "hvac", *, published: bool = True, **kw: Any) -> Case:
    data = entries.CaseInput(
        category_id=w.cat[category].pk,
        title=kw.pop("title", "空调不制冷"),
        phenomenon=kw.pop("phenomenon", "室内机出风温度高，制冷效果差"),
        cause=kw.pop("cause", ""),
        solution=kw.pop("solution", ""),
        **kw,
    )
    made = entries.case_create(actor=w.editor, data=data)
    return publish(w, made) if published else made


def build() -> World:
    region = t.region("EAST", "华东区")
    dealer = t.dealer(region, name="杭州经销商")
    customer = t.customer(region, dealer, name="杭州客户")
    cat = {code: t.category(code, name) for code, name in CATEGORIES}
    models = {
        m.code: ProductModel.objects.create(category=cat[m.category], code=m.code, name=m.name)
        for m in MODELS
    }
    w = World(region=region, dealer=dealer, customer=customer, cat=cat, models=models)
    w.editor = t.user("team_leader", username="kb_editor")
    w.agent = t.user("agent", username="kb_agent")
    w.technician = t.user("technician", username="kb_tech")
    w.admin = t.user("admin", username="kb_admin")
    w.dealer_user = t.user("dealer", org=dealer, username="kb_dealer")
    w.customer_user = t.user("customer", org=customer, username="kb_customer")
    vocabulary_seed(actor=None)
    vocabulary.clear()
    return w
