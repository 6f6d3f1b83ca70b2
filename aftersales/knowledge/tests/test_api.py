"""The knowledge-base API: CRUD through the review flow, ``/kb/similar`` with score and
external id, and the audience: customers and dealers see only published public cases."""

from __future__ import annotations

from urllib.parse import quote

from aftersales.core.models import AuditEvent
from aftersales.knowledge.models import Case
from aftersales.knowledge.tests.helpers import case
from aftersales.parts.tests.test_api import call


def test_case_crud_through_the_review_flow(kb):  # type: ignore[no-untyped-def]
    body = {
        "category_id": kb.cat["hvac"].pk,
        "title": "冷水机组低压报警",
        "phenomenon": "开机半小时后低压保护停机",
        "cause": "冷冻水流量不足",
        "solution": "清洗过滤器，调整阀门",
        "codes": "P2",
        "external_id": "OLD-001",
    }
    made = call("post", "/api/v1/kb/cases", kb.technician, body, status=201)
    assert made["state"] == "draft" and made["author_id"] == kb.technician.pk
    # an author may edit his draft, not review it
    call("patch", f"/api/v1/kb/cases/{made['id']}", kb.technician, {"cause": "水流开关故障"})
    refused = call(
        "post",
        f"/api/v1/kb/cases/{made['id']}/move",
        kb.technician,
        {"action": "review"},
        status=403,
    )
    assert refused["code"] == "permission_denied"
    for action in ("review", "publish"):
        out = call("post", f"/api/v1/kb/cases/{made['id']}/move", kb.editor, {"action": action})
    assert out["state"] == "published" and out["cause"] == "水流开关故障"
    skipped = call(
        "post", f"/api/v1/kb/cases/{made['id']}/move", kb.editor, {"action": "publish"}, status=409
    )
    assert skipped["code"] == "invalid_transition"
    retired = call("delete", f"/api/v1/kb/cases/{made['id']}", kb.editor)
    assert retired["state"] == "retired" and Case.objects.filter(pk=made["id"]).exists()
    moves = AuditEvent.objects.filter(object_id=str(made["id"]), action="transition")
    assert [(e.from_state, e.to_state) for e in moves.order_by("at", "id")] == [
        ("draft", "reviewed"),
        ("reviewed", "published"),
        ("published", "retired"),
    ]
    dup = call("post", "/api/v1/kb/cases", kb.technician, body, status=409)
    assert "外部编号" in dup["message"]


def test_similar_returns_score_and_external_id(kb):  # type: ignore[no-untyped-def]
    target = case(
        kb,
        "security",
        title="硬盘录像机离线",
        phenomenon="NVR掉线，看不到画面",
        external_id="SEC-17",
    )
    case(kb, "security", title="门禁刷卡无反应", phenomenon="刷卡后电锁不动作")
    found = call("get", f"/api/v1/kb/similar?text={quote('录像机老是断线')}&limit=3", kb.agent)
    assert found[0]["id"] == target.pk and found[0]["external_id"] == "SEC-17"
    assert found[0]["score"] > 0 and len(found) <= 3


def test_customers_and_dealers_see_only_published_public_cases(kb):  # type: ignore[no-untyped-def]
    public = case(kb, "window", title="推拉门推不动", phenomenon="滑轮损坏", is_public=True)
    internal = case(kb, "window", title="推拉门卡住", phenomenon="轨道变形推不动")
    draft = case(
        kb, "window", title="推拉门发涩", phenomenon="推拉很沉", is_public=True, published=False
    )
    for user in (kb.customer_user, kb.dealer_user):
        listed = [c["id"] for c in call("get", "/api/v1/kb/cases", user)["items"]]
        assert listed == [public.pk]
        call("get", f"/api/v1/kb/cases/{internal.pk}", user, status=404)
        call("get", f"/api/v1/kb/cases/{draft.pk}", user, status=404)
        similar = call("get", f"/api/v1/kb/similar?text={quote('推拉门推不动')}", user)
        assert [c["id"] for c in similar] == [public.pk]
        call(
            "post",
            "/api/v1/kb/cases",
            user,
            {"category_id": kb.cat["window"].pk, "title": "x", "phenomenon": "y"},
            status=403,
        )
    staff = {c["id"] for c in call("get", "/api/v1/kb/similar?text=推拉门推不动", kb.agent)}
    assert {public.pk, internal.pk} <= staff and draft.pk not in staff


def test_feedback_is_recorded_once_per_ticket_and_counted(kb):  # type: ignore[no-untyped-def]
    c = case(kb, title="风机盘管不出风", phenomenon="盘管电机不转")
    out = call(
        "post", f"/api/v1/kb/cases/{c.pk}/feedback", kb.agent, {"verdict": "solved"}, status=201
    )
    assert out["verdict"] == "solved"
    c.refresh_from_db()
    assert c.solved_count == 1
    bad = call(
        "post", f"/api/v1/kb/cases/{c.pk}/feedback", kb.agent, {"verdict": "maybe"}, status=422
    )
    assert bad["code"] == "validation_failed"


def test_articles_crud(kb):  # type: ignore[no-untyped-def]
    made = call(
        "post",
        "/api/v1/kb/articles",
        kb.editor,
        {"title": "多联机冷媒回收操作指导", "body": "关闭液阀，运行回收模式……", "kind": "training"},
        status=201,
    )
    call("patch", f"/api/v1/kb/articles/{made['id']}", kb.editor, {"is_public": True})
    for action in ("review", "publish"):
        out = call("post", f"/api/v1/kb/articles/{made['id']}/move", kb.editor, {"action": action})
    assert out["state"] == "published" and out["is_public"]
    listed = call("get", "/api/v1/kb/articles", kb.customer_user)["items"]
    assert [a["id"] for a in listed] == [made["id"]]
    assert call("delete", f"/api/v1/kb/articles/{made['id']}", kb.editor)["state"] == "retired"
    call("get", f"/api/v1/kb/articles/{made['id']}", kb.customer_user, status=404)
