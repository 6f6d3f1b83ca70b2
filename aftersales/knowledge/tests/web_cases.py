"""Published LED cases in the service screens' world (``service.tests.web_world``)."""

from __future__ import annotations

from typing import Any

from aftersales.knowledge.models import Case
from aftersales.knowledge.search import vocabulary
from aftersales.knowledge.services import entries
from aftersales.knowledge.services.vocabulary import vocabulary_seed


def publish_case(world: dict[str, Any], **kw: Any) -> Case:
    made = entries.case_create(
        actor=world["manager"],
        data=entries.CaseInput(category_id=world["led"].pk, **kw),
    )
    for action in ("review", "publish"):
        made = entries.case_move(actor=world["manager"], case=made, action=action)
    return made


def led_cases(world: dict[str, Any]) -> dict[str, Case]:
    vocabulary_seed(actor=None)
    vocabulary.clear()
    return {
        "module": publish_case(
            world,
            title="模组局部黑屏",
            phenomenon="屏幕上一块方形区域不亮，大小正好一个模组",
            cause="模组排线接触不良",
            solution="重新插拔排线，仍不亮则更换排线",
        ),
        "card": publish_case(
            world,
            title="箱体黑屏，接收卡损坏",
            phenomenon="屏幕一个箱体整块不亮，其余正常",
            cause="接收卡损坏",
            solution="更换接收卡并重新发送配置参数",
        ),
        "flicker": publish_case(
            world,
            title="画面闪烁",
            phenomenon="显示屏画面一闪一闪，拍照有黑色条纹",
            cause="刷新率设置过低",
            solution="在控制软件中提高刷新率",
        ),
    }
