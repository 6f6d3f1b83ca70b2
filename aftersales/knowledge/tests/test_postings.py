"""The postings (``knowledge_posting``): every live published case's search keys, kept with
its search document by ``services.index`` in the same transaction, and the candidate query
that sums them (an index-only scan) giving the suggestions the ``ts_rank`` query gave."""

from __future__ import annotations

from django.db import connection

from aftersales.knowledge.models import Case, Posting
from aftersales.knowledge.search import engine
from aftersales.knowledge.services import entries
from aftersales.knowledge.services.index import rebuild_statistics
from aftersales.knowledge.tests.helpers import case


def postings(c: Case) -> dict[str, tuple[bool, int, bool]]:
    rows = Posting.objects.filter(case=c).values_list("key", "main", "category_id", "is_public")
    return {k: (main, cat, public) for k, main, cat, public in rows}


def expected(c: Case) -> dict[str, tuple[bool, int, bool]]:
    c.refresh_from_db()
    out = {k: (False, c.category_id, c.is_public) for k in c.keys_more}
    out.update({k: (True, c.category_id, c.is_public) for k in c.keys_main})
    return out


def test_a_published_case_has_its_postings_and_a_draft_none(kb):  # type: ignore[no-untyped-def]
    live = case(kb, title="冷水机组高压保护", phenomenon="高压保护停机", cause="冷却塔风扇不转")
    draft = case(kb, title="冷水机组低压保护", phenomenon="低压报警", published=False)
    assert postings(live) == expected(live)
    assert postings(live)["冷水机组"][0] is True  # title: a main posting
    assert postings(live)["风扇"][0] is False  # cause
    assert postings(draft) == {}


def test_an_edit_retire_and_republish_move_the_postings(kb):  # type: ignore[no-untyped-def]
    c = case(kb, title="冷水机组高压保护", phenomenon="高压保护停机")
    data = entries.case_input(c, title="风机盘管异响", category_id=kb.cat["led"].pk, is_public=True)
    c = entries.case_update(actor=kb.editor, case=c, data=data)
    now = postings(c)
    assert now == expected(c)
    assert "风机盘管" in now and "冷水机组" not in now
    assert {cat for _, cat, _ in now.values()} == {kb.cat["led"].pk}
    assert all(public for _, _, public in now.values())
    c = entries.case_move(actor=kb.editor, case=c, action="retire")
    assert postings(c) == {}
    for action in ("redraft", "review", "publish"):
        c = entries.case_move(actor=kb.editor, case=c, action=action)
    assert postings(c) == expected(c)


def test_the_rebuild_gives_the_postings_the_services_keep(kb):  # type: ignore[no-untyped-def]
    a = case(kb, title="冷水机组高压保护", phenomenon="高压保护停机", cause="冷却水流量不足")
    b = case(kb, "led", title="显示屏黑屏", phenomenon="整屏不亮", codes="E4")
    case(kb, title="低压保护", phenomenon="低压报警", published=False)
    kept = {c.pk: postings(c) for c in (a, b)}
    rebuild_statistics()
    assert {c.pk: postings(c) for c in (a, b)} == kept
    assert Posting.objects.count() == sum(len(p) for p in kept.values())


def test_the_postings_answer_as_the_ts_rank_query(kb):  # type: ignore[no-untyped-def]
    case(kb, title="冷水机组高压保护", phenomenon="冷却水流量不足，高压保护停机")
    case(kb, title="冷水机组高压报警", phenomenon="高压保护频繁停机，冷却塔风扇不转")
    case(kb, title="外机报E3", phenomenon="室外机显示E3，压缩机不启动", codes="E3")
    case(kb, title="通讯故障", phenomenon="线控器显示E4，内外机通讯中断", codes="E4")
    case(kb, title="空调不制冷", phenomenon="出风不冷，压缩机运行正常")
    case(kb, "led", title="显示屏黑屏", phenomenon="整屏不亮")
    case(kb, "security", title="云台转动异响", phenomenon="摄像机云台转动时异响")
    scope = engine.Scope()
    for query in ("冷水机组高压保护停机", "空调报 E-04", "空调不至冷", "显视屏嘿屏了", "异响"):
        fast = engine.search(query, scope=scope, limit=5)
        old = engine.search(query, scope=scope, limit=5, postings=False)
        assert fast and [h.id for h in fast] == [h.id for h in old], query


def test_the_candidate_query_reads_the_postings_index_only(kb):  # type: ignore[no-untyped-def]
    """Every column the sum needs is in the primary key's index (with the filters of a
    customer's search in one category): the plan is an index-only scan of it."""
    for i in range(30):
        case(kb, title=f"冷水机组高压保护{i}", phenomenon="冷却水流量不足，高压保护停机")
    scope = engine.Scope(public_only=True, category_id=kb.cat["hvac"].pk, exclude_ids=(1,))
    keys = ["冷水机组", "gao_ya"]
    sql, params = engine.posting_query(
        "knowledge_case", keys, [(1.0, 0.35)] * 2, keys, "冷水机组高压", scope, "NULL, 0, 0", 150
    )
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("SET LOCAL enable_bitmapscan = off")
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cur.fetchall())
    assert "Index Only Scan using knowledge_posting_pk on knowledge_posting" in plan, plan


def test_a_case_published_here_is_found_by_its_new_words_at_once(kb):  # type: ignore[no-untyped-def]
    """The process's copy of the document frequencies is dropped when a case is published:
    a word no case had before is searched for at once (not only after the copy expires)."""
    case(kb, title="压缩机不启动", phenomenon="室外机压缩机不启动")
    query = "压缩机旁边的蜂鸣器一直长鸣"
    before = engine.search(query, scope=engine.Scope())
    buzzer = case(kb, title="控制板蜂鸣器长鸣", phenomenon="上电后蜂鸣器长鸣不停")
    after = engine.search(query, scope=engine.Scope())
    assert buzzer.pk not in [h.id for h in before]
    assert buzzer.pk in [h.id for h in after]
