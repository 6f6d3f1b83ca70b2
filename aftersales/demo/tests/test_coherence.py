"""Issue 9 #19: demo faults fit the equipment they are reported on."""

from __future__ import annotations

from aftersales.demo.activity import FAULTS, MODEL_FAULTS
from aftersales.demo.catalog_data import MODELS

# words that name one kind of equipment; a fault naming one may be reported only on it
KIND_WORDS = {
    "门禁": "ACS",
    "摄像": "IPC",
    "录像机": "NVR",
    "收割机": "4LZ",
    "拖拉机": "LX904",
    "播种机": "2BMG",
    "喷雾机": "3WP",
    "旋耕": "1GQN",
    "风机盘管": "FCU",
    "冷水机组": "WSC",
    "热泵": "HP",
    "幕墙": "CW",
    "阳光房": "SUN",
    "防火": "FW",
    "推拉门": "AL108",
    "平开窗": "AL70",
}


def test_every_fault_fits_the_model_it_is_reported_on() -> None:
    for model in MODELS:
        faults = MODEL_FAULTS.get(model.code) or FAULTS[model.category]
        assert model.code in MODEL_FAULTS or model.category == "led", model.code
        for description, _category in faults:
            for word, code_part in KIND_WORDS.items():
                if word in description:
                    assert code_part in model.code, (model.code, model.name, description)


def test_the_camera_gets_no_access_control_fault() -> None:
    camera = MODEL_FAULTS["AF-IPC-4MP"]
    assert not any("门禁" in d for d, _ in camera)
    assert any("门禁" in d for d, _ in MODEL_FAULTS["AF-ACS-4D"])
