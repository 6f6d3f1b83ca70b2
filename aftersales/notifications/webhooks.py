"""The group robots of WeCom, DingTalk and Feishu: message bodies, request signing, the POST and
the check of each API's own success field. Pure functions except ``post_json``.

Formats, as documented by each vendor:

* WeCom 企业微信群机器人: ``POST …/cgi-bin/webhook/send?key=…`` with
  ``{"msgtype": "markdown", "markdown": {"content": …}}`` (content ≤ 4096 bytes);
  success is ``{"errcode": 0, "errmsg": "ok"}``.
* DingTalk 钉钉自定义机器人: ``POST …/robot/send?access_token=…`` with
  ``{"msgtype": "markdown", "markdown": {"title": …, "text": …}, "at": {"atMobiles": […],
  "isAtAll": false}}``; with 加签 the URL gets ``timestamp`` (ms) and
  ``sign = urlencode(base64(HmacSHA256(key=secret, msg=f"{timestamp}\\n{secret}")))``;
  success is ``{"errcode": 0}``.
* Feishu 飞书自定义机器人: ``POST …/open-apis/bot/v2/hook/…`` with
  ``{"msg_type": "post", "content": {"post": {"zh_cn": {"title": …, "content": [[…]]}}}}``;
  with 签名校验 the body gets ``timestamp`` (s) and
  ``sign = base64(HmacSHA256(key=f"{timestamp}\\n{secret}", msg=b""))``;
  success is ``{"code": 0}`` (older deployments answer ``{"StatusCode": 0}``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from aftersales.core.said import Said
from aftersales.notifications.models import Channel

WECOM_MARKDOWN_MAX_BYTES = 4096
BODY_MAX_CHARS = 2000
RESPONSE_MAX_BYTES = 64 * 1024


class DeliveryError(Exception):
    """A delivery attempt failed; the message is Chinese and goes to ``last_error``."""


def truncate_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, never inside a character."""
    raw = text.encode()
    if len(raw) <= limit:
        return text
    return raw[: max(0, limit - 3)].decode(errors="ignore") + "…"


def _short(text: str) -> str:
    return text if len(text) <= BODY_MAX_CHARS else text[: BODY_MAX_CHARS - 1] + "…"


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk 加签: the URL-encoded ``sign`` query value."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    sep = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{sep}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu 签名校验: the ``sign`` body field (the key is the string to sign, the message is
    empty, as in Feishu's reference code)."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _names_line(names: list[str]) -> str:
    return Said("通知对象：%(join)s", join="、".join(names)) if names else ""


def wecom_message(*, subject: str, body: str, url: str, names: list[str]) -> dict[str, Any]:
    lines = [f"**{subject}**", _short(body)]
    if names:
        lines.append(f'<font color="comment">{_names_line(names)}</font>')
    if url:
        lines.append(Said("[查看详情](%(url)s)", url=url))
    content = truncate_bytes("\n".join(lines), WECOM_MARKDOWN_MAX_BYTES)
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_message(
    *, subject: str, body: str, url: str, names: list[str], mobiles: list[str]
) -> dict[str, Any]:
    # DingTalk markdown needs a blank line to break a line; @mobile must appear in the text.
    paragraphs = [f"### {subject}", *[p for p in _short(body).splitlines() if p.strip()]]
    if names:
        paragraphs.append(_names_line(names))
    if url:
        paragraphs.append(Said("[查看详情](%(url)s)", url=url))
    if mobiles:
        paragraphs.append(" ".join(f"@{m}" for m in mobiles))
    return {
        "msgtype": "markdown",
        "markdown": {"title": subject, "text": "\n\n".join(paragraphs)},
        "at": {"atMobiles": list(mobiles), "isAtAll": False},
    }


def feishu_message(*, subject: str, body: str, url: str, names: list[str]) -> dict[str, Any]:
    rows: list[list[dict[str, str]]] = [[{"tag": "text", "text": _short(body)}]]
    if names:
        rows.append([{"tag": "text", "text": _names_line(names)}])
    if url:
        rows.append([{"tag": "a", "text": "查看详情", "href": url}])
    return {
        "msg_type": "post",
        "content": {"post": {"zh_cn": {"title": subject, "content": rows}}},
    }


def build_request(
    channel: str,
    *,
    url: str,
    secret: str,
    subject: str,
    body: str,
    link_url: str,
    names: list[str],
    mobiles: list[str],
    now_ms: int,
) -> tuple[str, dict[str, Any]]:
    """The URL to POST to and the JSON body, for one robot message."""
    if channel == Channel.WECOM:
        return url, wecom_message(subject=subject, body=body, url=link_url, names=names)
    if channel == Channel.DINGTALK:
        message = dingtalk_message(
            subject=subject, body=body, url=link_url, names=names, mobiles=mobiles
        )
        return (dingtalk_signed_url(url, secret, now_ms) if secret else url), message
    if channel == Channel.FEISHU:
        message = feishu_message(subject=subject, body=body, url=link_url, names=names)
        if secret:
            timestamp = now_ms // 1000
            message = {"timestamp": str(timestamp), "sign": feishu_sign(secret, timestamp)} | (
                message
            )
        return url, message
    raise DeliveryError(Said("渠道 %(channel)s 不是群机器人渠道", channel=channel))


_VENDOR = {Channel.WECOM: "企业微信", Channel.DINGTALK: "钉钉", Channel.FEISHU: "飞书"}


def check_response(channel: str, data: Any) -> None:
    """Raise unless the vendor's own success field says the message was accepted."""
    vendor = _VENDOR.get(Channel(channel), channel)
    if not isinstance(data, dict):
        raise DeliveryError(
            Said("%(vendor)s返回内容无法识别：%(v2)s", vendor=vendor, v2=str(data)[:200])
        )
    if channel in (Channel.WECOM, Channel.DINGTALK):
        code, message = data.get("errcode"), data.get("errmsg", "")
    elif "code" in data:
        code, message = data.get("code"), data.get("msg", "")
    else:
        code, message = data.get("StatusCode"), data.get("StatusMessage", "")
    if code != 0:
        raise DeliveryError(
            Said(
                "%(vendor)s返回错误 %(code)s：%(v4)s",
                vendor=vendor,
                code=code,
                v4=str(message)[:200],
            )
        )


def post_json(url: str, body: dict[str, Any], *, timeout: float) -> Any:
    """POST ``body`` as UTF-8 JSON; return the decoded JSON answer or raise ``DeliveryError``."""
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    host = urllib.parse.urlsplit(url).hostname or url
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read(RESPONSE_MAX_BYTES)
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode(errors="replace") if exc.fp else ""
        raise DeliveryError(f"HTTP {exc.code}（{host}）：{detail[:200]}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise DeliveryError(
                Said(
                    "请求超时（%(timeout)s 秒，%(host)s）", timeout=format(timeout, "g"), host=host
                )
            ) from exc
        raise DeliveryError(
            Said("网络错误（%(host)s）：%(reason)s", host=host, reason=reason)
        ) from exc
    try:
        return json.loads(raw.decode())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DeliveryError(
            Said("返回内容不是JSON（%(host)s）：%(v3)s", host=host, v3=repr(raw[:200]))
        ) from exc


def send_robot_message(
    channel: str,
    *,
    url: str,
    secret: str,
    subject: str,
    body: str,
    link_url: str,
    names: list[str],
    mobiles: list[str],
    timeout: float,
    now_ms: int,
) -> None:
    target, message = build_request(
        channel,
        url=url,
        secret=secret,
        subject=subject,
        body=body,
        link_url=link_url,
        names=names,
        mobiles=mobiles,
        now_ms=now_ms,
    )
    check_response(channel, post_json(target, message, timeout=timeout))
