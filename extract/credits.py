"""Credit and header lines (作者: 余耀耀, 责任编辑: 张三, 发布日期: …) read as field values.

extract/clean.py decides which lines to drop; this module reads what a credit line says, with
the label and name rules of config/boilerplate.toml (extract/rules.py). A value that is not
names (a sentence after 来源:, say) means the line is no credit line at all, and it stays.
"""

from __future__ import annotations

import re
import unicodedata

from extract.normalise import to_simplified
from extract.rules import Rules


class Credits(dict[str, list[str]]):
    """Field values by kind, first-seen order, no duplicates."""

    def add(self, kind: str, value: str) -> None:
        value = re.sub(r"\s+", " ", value).strip(" ·、,，/")
        if value and value not in self.setdefault(kind, []):
            self[kind].append(value)

    def join(self, *kinds: str) -> str | None:
        return "; ".join(v for k in kinds for v in self.get(k, [])) or None

    def first(self, kind: str) -> str | None:
        return self.get(kind, [None])[0]


def credit_names(value: str, rules: Rules) -> str | None:
    """Names in a credit value without role words; None if the value is not names."""
    value = value.strip(" []【】()（）")
    if value.lower() in rules.anonymous:
        return ""
    if value and (not rules.name_re.fullmatch(value) or value in rules.not_names):
        return None
    return rules.role_re.sub(" ", value).strip()


def _value(kind: str, value: str, rules: Rules) -> str | None:
    """Validate one labelled value; the cleaned value, or None if the line is not a header."""
    if kind == "date":
        ok = not value or rules.date_re.fullmatch(value.removesuffix("更新").strip())
    elif kind == "noise":
        ok = rules.noise_re.fullmatch(value)
    elif kind in ("source", "photo"):  # photo credits may be agencies: 图片来源：摄图网
        value = value.strip(" []【】")
        ok = not value or rules.source_re.fullmatch(value)
        value = rules.role_re.sub("", value, count=1).strip() if kind == "photo" else value
    else:
        return credit_names(value, rules)
    return value if ok else None


def header_line(core: str, rules: Rules, credits: Credits) -> bool:
    """A labelled header/credit line ("作者: 余耀耀", "发布日期:")? Records its values."""
    if len(core) > rules.fields_max_len or not (":" in core or "/" in core or core[:1].isdigit()):
        return False
    if rules.date_line_re.match(core):
        return True
    line = core.strip("[]【】()（）")
    date = rules.date_re.match(line)
    marks = list(rules.label_re.finditer(line, date.end() if date else 0))
    if not marks or line[date.end() if date else 0 : marks[0].start()].strip(" |更新"):
        return False
    found = []
    for mark, nxt in zip(marks, [*marks[1:], None], strict=True):
        kind = rules.label_field[mark["label"]]
        raw = line[mark.end() : nxt.start() if nxt else len(line)]
        value = _value(kind, raw.split("|")[0].strip(" \\"), rules)  # "| 发表评论" is widgetry
        if value is None:
            return False
        found.append((kind, value))
    for kind, value in found:
        credits.add(kind, value)
    return True


def lead_credit(line: str, rules: Rules) -> tuple[int, list[tuple[str, str]]] | None:
    """A bracketed credit opening a paragraph ("本报讯（记者 张三 通讯员 李四）3月10日，…").

    Returns where the text after it starts and (field, names) per role: author for 记者/通讯员,
    photo for 摄影, editor for 编辑 (the labels' fields in config/boilerplate.toml); None if
    the line opens with no such credit.  A bracket must start with a role word, so "（一）" or
    "（2024年3月10日）" never counts."""
    m = rules.lead_credit_re.match(line)
    if not m:
        return None
    value, found = m["names"], []
    roles = list(rules.any_role_re.finditer(value))
    for role, nxt in zip(roles, [*roles[1:], None], strict=True):
        names = credit_names(value[role.end() : nxt.start() if nxt else len(value)], rules)
        if names:
            words = (role[0], role[0][-3:], role[0][-2:])  # 本报记者, 通讯员, 记者
            found.append((next((rules.label_field[w] for w in words if w in rules.label_field), "author"), names))
    return (m.end(), found) if found else None


def head_credits(page_text: str, main_text: str, rules: Rules, lines: int = 6) -> Credits:
    """Credits of the info line above the article ("来源：某某科协  作者：张三  浏览次数：123").

    Portals print it outside the block the extractors keep, so it is read from the whole page's
    text: the few lines right before the article's first paragraph, each only if it is a
    header line as a whole (header_line's rules)."""
    credits = Credits()
    main = [ln.strip() for ln in main_text.splitlines() if ln.strip()]
    first = next((ln for ln in main if len(ln) >= rules.prose_min_len), main[0] if main else "")
    end = page_text.find(first[:20]) if len(first) >= 8 else -1
    if end <= 0:
        return credits
    for line in page_text[:end].splitlines()[-lines:]:
        core = unicodedata.normalize("NFKC", to_simplified(line)).strip(" |*\t")
        header_line(core, rules, credits)
    return credits
