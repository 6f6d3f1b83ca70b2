"""Charts as inline SVG for the PDF pack (WeasyPrint draws SVG; ECharts needs a browser).
Pure: a ``Chart`` in, SVG markup out; every text escaped."""

from __future__ import annotations

import math
from html import escape

from aftersales.reports.registry import Chart

W, H = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 56
COLOURS = ("#1f6feb", "#e8590c", "#2f9e44", "#ae3ec9", "#f08c00", "#0c8599", "#c92a2a", "#5c940d")
FONT = 'font-family="Noto Sans CJK SC, sans-serif"'


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 2.5, 5, 10):
        if value <= m * exp:
            return m * exp
    return 10 * exp


def _text(
    x: float, y: float, s: str, size: int = 10, anchor: str = "middle", extra: str = ""
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" {FONT} {extra}>'
        f"{escape(s[:24])}</text>"
    )


def _legend(chart: Chart) -> list[str]:
    out = []
    x = LEFT
    for i, (name, _data) in enumerate(chart.series):
        colour = COLOURS[i % len(COLOURS)]
        out.append(f'<rect x="{x}" y="{H - 14}" width="10" height="10" fill="{colour}"/>')
        out.append(_text(x + 14, H - 5, name, 9, "start"))
        x += 20 + 9 * min(len(name), 14)
    return out


def _pie(chart: Chart) -> str:
    data = chart.series[0][1] if chart.series else []
    total = sum(data) or 1.0
    cx, cy, r = 150, H / 2, 90
    parts, angle = [], -math.pi / 2
    for i, (label, value) in enumerate(zip(chart.categories, data, strict=False)):
        share = value / total
        colour = COLOURS[i % len(COLOURS)]
        if share >= 0.9999:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{colour}"/>')
        elif share > 0:
            end = angle + share * 2 * math.pi
            large = 1 if share > 0.5 else 0
            x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
            x2, y2 = cx + r * math.cos(end), cy + r * math.sin(end)
            parts.append(
                f'<path d="M{cx},{cy} L{x1:.1f},{y1:.1f} A{r},{r} 0 {large} 1 {x2:.1f},{y2:.1f} Z" fill="{colour}"/>'
            )
            angle = end
        parts.append(f'<rect x="300" y="{30 + i * 18}" width="10" height="10" fill="{colour}"/>')
        parts.append(
            _text(316, 39 + i * 18, f"{label} {value:g} ({share * 100:.1f}%)", 10, "start")
        )
    return "".join(parts)


def _axes(chart: Chart) -> str:
    stacked = chart.kind == "stack"
    if stacked:
        top = max(
            (sum(vals) for vals in zip(*(d for _n, d in chart.series), strict=False)), default=0.0
        )
    else:
        top = max((v for _n, d in chart.series for v in d), default=0.0)
    top = _nice_max(top)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    parts = []
    for i in range(5):
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{W - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        parts.append(_text(LEFT - 4, y + 3, f"{top * i / 4:g}{chart.unit}", 9, "end"))
    n = max(len(chart.categories), 1)
    slot = plot_w / n
    for i, label in enumerate(chart.categories):
        parts.append(_text(LEFT + slot * (i + 0.5), H - BOTTOM + 14, label, 9))
    series = chart.series or []
    if chart.kind == "line":
        for s, (_name, data) in enumerate(series):
            pts = " ".join(
                f"{LEFT + slot * (i + 0.5):.1f},{TOP + plot_h - plot_h * v / top:.1f}"
                for i, v in enumerate(data)
            )
            parts.append(
                f'<polyline points="{pts}" fill="none" stroke="{COLOURS[s % len(COLOURS)]}" stroke-width="2"/>'
            )
    else:
        k = 1 if stacked else max(len(series), 1)
        bar = slot * 0.7 / k
        base = [0.0] * n
        for s, (_name, data) in enumerate(series):
            colour = COLOURS[s % len(COLOURS)]
            for i, v in enumerate(data[:n]):
                h = plot_h * v / top
                x = LEFT + slot * i + slot * 0.15 + (0 if stacked else s * bar)
                y = TOP + plot_h - h - (plot_h * base[i] / top if stacked else 0)
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}"/>'
                )
                if stacked:
                    base[i] += v
    return "".join(parts)


def render(chart: Chart) -> str:
    body = _pie(chart) if chart.kind == "pie" else _axes(chart) + "".join(_legend(chart))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}">'
        f"{body}</svg>"
    )
