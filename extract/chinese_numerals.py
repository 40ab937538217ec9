"""Chinese numerals in dates (二〇二三年十二月五日), converted by hand.

Dates on Chinese pages write years digit by digit (二〇二三) and months and days
with 十 (十二, 二十, 三十一); a general numeral library is not needed for that.
"""

from __future__ import annotations

_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "0": 0,  # typed for 〇 in many a 二0二四年, as are the letter O and the full-width ０
    "０": 0,
    "O": 0,
    "o": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

#: Characters a Chinese-numeral date part may consist of (for building regexes).
CN_DIGIT_CHARS = "".join(_DIGITS)
CN_NUMBER_CHARS = CN_DIGIT_CHARS + "十"


def cn_to_int(text: str) -> int | None:
    """Value of a date part: ASCII/full-width digits, digit-by-digit (二〇二三) or with 十 (三十一).

    Returns None for anything else, so callers can reject the date instead of guessing.
    """
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        try:
            return int(text)  # int() also reads full-width digits
        except ValueError:
            return None
    if "十" not in text:
        if not all(ch in _DIGITS for ch in text):
            return None
        value = 0
        for ch in text:
            value = value * 10 + _DIGITS[ch]
        return value
    tens_part, _, units_part = text.partition("十")
    if "十" in units_part or len(tens_part) > 1 or len(units_part) > 1:
        return None
    if tens_part and tens_part not in _DIGITS:
        return None
    if units_part and units_part not in _DIGITS:
        return None
    tens = _DIGITS[tens_part] if tens_part else 1
    if tens == 0:
        return None
    return tens * 10 + (_DIGITS[units_part] if units_part else 0)
