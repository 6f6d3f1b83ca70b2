"""A chargeable ticket with a quote the customer accepted, and reading a PDF's text."""

from __future__ import annotations

import re
import zlib
from typing import Any

from aftersales.installed_base.models import Equipment
from aftersales.service.models import Quote
from aftersales.service.services import intake, warranty


def accepted_quote(world: Any, *, serial: str = "LED2025001", hours: str = "1") -> Quote:
    """A chargeable repair (equipment out of warranty) quoted from the price list and
    accepted by the customer: 1 part PSU-5V at cost 85.00 + 1 h × 120.00 = 205.00."""
    eq = Equipment.objects.filter(serial_no=serial).first()
    if eq is None:
        eq = Equipment.objects.create(site=world.site, model=world.model, serial_no=serial)
    Equipment.objects.filter(pk=eq.pk).update(acceptance_date="2023-01-01")
    type(world.site).objects.filter(pk=world.site.pk).update(acceptance_date="2023-01-01")
    ticket = intake.ticket_create(
        actor=world.agent,
        data=intake.TicketInput(
            description="屏幕黑屏",
            contact_name="王经理",
            contact_phone="13800138000",
            channel="phone",
            equipment_id=eq.id,
        ),
    )
    assert warranty.current(ticket).outcome == "chargeable"
    quote = warranty.quote_create(
        actor=world.agent,
        ticket=ticket,
        parts=[warranty.QuotePart("PSU-5V", 1)],
        labour_hours=hours,
    )
    return warranty.quote_decide(quote=quote, accept=True, by_name="王经理", actor=world.agent)


def pdf_text(data: bytes) -> str:
    """The text of a PDF as a reader extracts it: each font's ToUnicode map applied to the
    glyph codes its text operators show (streams inflated, object streams opened)."""
    bodies: dict[int, bytes] = {}
    streams: dict[int, bytes] = {}

    def inflate(raw: bytes, head: bytes) -> bytes:
        return zlib.decompress(raw) if b"FlateDecode" in head else raw

    for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S):
        num, body = int(m.group(1)), m.group(2)
        s = re.search(rb"stream\r?\n(.*)\r?\nendstream", body, re.S)
        head = body[: s.start()] if s else body
        bodies[num] = head
        if s:
            streams[num] = inflate(s.group(1), head)
    for num, head in list(bodies.items()):  # objects packed in object streams
        if b"/ObjStm" in head and num in streams:
            n = int(re.search(rb"/N (\d+)", head).group(1))  # type: ignore[union-attr]
            first = int(re.search(rb"/First (\d+)", head).group(1))  # type: ignore[union-attr]
            blob = streams[num]
            nums = [int(x) for x in blob[:first].split()]
            pairs = list(zip(nums[0::2], nums[1::2], strict=True))[:n]
            for i, (obj, off) in enumerate(pairs):
                end = pairs[i + 1][1] if i + 1 < len(pairs) else len(blob) - first
                bodies[obj] = blob[first + off : first + end]

    def cmap(ref: int) -> dict[bytes, str]:
        text = streams[ref]
        out: dict[bytes, str] = {}
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                out[src.upper()] = bytes.fromhex(dst.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
            for a, b, dst in re.findall(
                rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
            ):
                start, width = int(dst, 16), len(a)
                for k, code in enumerate(range(int(a, 16), int(b, 16) + 1)):
                    key = f"{code:0{width}X}".encode()
                    out[key] = chr(start + k)
        return out

    fonts: dict[bytes, dict[bytes, str]] = {}
    for head in bodies.values():
        for name, ref in re.findall(rb"/(\w+) (\d+) 0 R", head):
            font = bodies.get(int(ref), b"")
            u = re.search(rb"/ToUnicode (\d+) 0 R", font)
            if b"/Font" in font and u and int(u.group(1)) in streams:
                fonts[name] = cmap(int(u.group(1)))
    out: list[str] = []
    for content in streams.values():
        if b"Tf" not in content:
            continue
        current: dict[bytes, str] = {}
        for tok in re.finditer(
            rb"/(\w+) [\d.]+ Tf|\[(.*?)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj", content, re.S
        ):
            if tok.group(1):
                current = fonts.get(tok.group(1), {})
                continue
            hexes = (
                re.findall(rb"<([0-9A-Fa-f]*)>", tok.group(2)) if tok.group(2) else [tok.group(3)]
            )
            for h in hexes:
                width = 4 if any(len(k) == 4 for k in current) else 2
                for i in range(0, len(h), width):
                    out.append(current.get(h[i : i + width].upper(), ""))
    return "".join(out)
