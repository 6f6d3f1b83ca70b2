"""Robot message formats, signatures and success checks, against known values."""

from __future__ import annotations

import pytest

from aftersales.notifications import webhooks
from aftersales.notifications.webhooks import DeliveryError


def test_dingtalk_sign_known_vectors() -> None:
    # The vector of an independent DingTalk SDK's test, and one computed with
    # `printf '1700000000000\nSECabc' | openssl dgst -sha256 -hmac SECabc -binary | base64`.
    assert webhooks.dingtalk_sign("secret", 1700000000000) == (
        "OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D"
    )
    assert webhooks.dingtalk_sign("SECabc", 1700000000000) == (
        "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM%3D"
    )
    assert webhooks.dingtalk_signed_url(
        "https://oapi.dingtalk.com/robot/send?access_token=t", "secret", 1700000000000
    ) == (
        "https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000"
        "&sign=OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D"
    )


def test_feishu_sign_known_vector() -> None:
    # printf '' | openssl dgst -sha256 -hmac "$(printf '1599360473\ntest-secret')" -binary | base64
    assert webhooks.feishu_sign("test-secret", 1599360473) == (
        "wSds2BzzFIIGf/WrhUO+NI1q/9j+FRJd3JNHKAq0NZY="
    )


def test_request_bodies_per_vendor() -> None:
    common = {
        "subject": "工单超时预警",
        "body": "工单 BX-1 响应剩余 10 分钟\n客户：甲公司",
        "link_url": "https://fw.example.com/tickets/1/",
        "names": ["王主办"],
        "mobiles": ["13800000001"],
        "now_ms": 1599360473123,
    }
    url, body = webhooks.build_request("wecom", url="https://w/x?key=k", secret="", **common)
    assert url == "https://w/x?key=k"
    assert body == {
        "msgtype": "markdown",
        "markdown": {
            "content": "**工单超时预警**\n工单 BX-1 响应剩余 10 分钟\n客户：甲公司\n"
            '<font color="comment">通知对象：王主办</font>\n'
            "[查看详情](https://fw.example.com/tickets/1/)"
        },
    }
    url, body = webhooks.build_request(
        "dingtalk", url="https://d/send?access_token=a", secret="", **common
    )
    assert url == "https://d/send?access_token=a"
    assert body == {
        "msgtype": "markdown",
        "markdown": {
            "title": "工单超时预警",
            "text": "### 工单超时预警\n\n工单 BX-1 响应剩余 10 分钟\n\n客户：甲公司\n\n通知对象：王主办\n\n"
            "[查看详情](https://fw.example.com/tickets/1/)\n\n@13800000001",
        },
        "at": {"atMobiles": ["13800000001"], "isAtAll": False},
    }
    url, body = webhooks.build_request(
        "feishu", url="https://f/hook/x", secret="test-secret", **common
    )
    assert url == "https://f/hook/x"
    assert body == {
        "timestamp": "1599360473",
        "sign": "wSds2BzzFIIGf/WrhUO+NI1q/9j+FRJd3JNHKAq0NZY=",
        "msg_type": "post",
        "content": {
            "post": {
                "zh_cn": {
                    "title": "工单超时预警",
                    "content": [
                        [{"tag": "text", "text": "工单 BX-1 响应剩余 10 分钟\n客户：甲公司"}],
                        [{"tag": "text", "text": "通知对象：王主办"}],
                        [
                            {
                                "tag": "a",
                                "text": "查看详情",
                                "href": "https://fw.example.com/tickets/1/",
                            }
                        ],
                    ],
                }
            }
        },
    }


def test_wecom_markdown_stays_within_4096_bytes() -> None:
    _, body = webhooks.build_request(
        "wecom",
        url="u",
        secret="",
        subject="长",
        body="汉" * 5000,
        link_url="",
        names=[],
        mobiles=[],
        now_ms=0,
    )
    assert len(body["markdown"]["content"].encode()) <= 4096
    assert webhooks.truncate_bytes("汉字abc", 6) == "汉…"  # "…" takes 3 of the 6 bytes
    assert webhooks.truncate_bytes("汉字abc", 5) == "…"
    assert webhooks.truncate_bytes("汉字abc", 9) == "汉字abc"


@pytest.mark.parametrize(
    ("channel", "answer"),
    [
        ("wecom", {"errcode": 0, "errmsg": "ok"}),
        ("dingtalk", {"errcode": 0, "errmsg": "ok"}),
        ("feishu", {"code": 0, "msg": "success", "data": {}}),
        ("feishu", {"StatusCode": 0, "StatusMessage": "success"}),
    ],
)
def test_success_answers(channel: str, answer: dict) -> None:
    webhooks.check_response(channel, answer)


@pytest.mark.parametrize(
    ("channel", "answer", "text"),
    [
        ("wecom", {"errcode": 93000, "errmsg": "invalid webhook url"}, "企业微信返回错误 93000"),
        ("dingtalk", {"errcode": 310000, "errmsg": "sign not match"}, "钉钉返回错误 310000"),
        ("feishu", {"code": 19021, "msg": "sign match fail"}, "飞书返回错误 19021"),
        ("feishu", {}, "飞书返回错误 None"),
        ("wecom", ["not", "a", "dict"], "无法识别"),
    ],
)
def test_failure_answers(channel: str, answer: object, text: str) -> None:
    with pytest.raises(DeliveryError, match=text):
        webhooks.check_response(channel, answer)
