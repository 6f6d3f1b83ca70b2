"""Pure money rules of the charges domain (no ORM, no clock)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ["", "拾", "佰", "仟"]
SECTIONS = ["", "万", "亿"]


def _four(n: int) -> str:
    """0 < n < 10000 in capital digits, inner zeros spoken once."""
    out, zero = "", False
    for i in range(3, -1, -1):
        d = n // 10**i % 10
        if d == 0:
            zero = bool(out)
        else:
            if zero:
                out += "零"
                zero = False
            out += DIGITS[d] + UNITS[i]
    return out


def rmb_upper(amount: Decimal) -> str:
    """人民币大写 as printed on a receipt: 1234.50 → 壹仟贰佰叁拾肆元伍角整; negative amounts
    (a credit note) are prefixed 负."""
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "负" if value < 0 else ""
    cents = int(abs(value) * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return "零元整"
    text = ""
    if yuan:
        parts: list[str] = []
        section, need_zero = 0, False
        while yuan:
            chunk = yuan % 10000
            if chunk:
                word = _four(chunk) + SECTIONS[section]
                if need_zero:
                    word += "零"
                parts.insert(0, word)
                need_zero = chunk < 1000
            elif parts:
                need_zero = True
            yuan //= 10000
            section += 1
        text = "".join(parts)
        text = text.rstrip("零") + "元"
    if jiao == 0 and fen == 0:
        return sign + text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text += "整"
    return sign + text
