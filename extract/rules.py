"""Load config/boilerplate.toml, compile it once, and test lines against it.

The rules are data so that a new site's footer is handled by editing TOML, not code.  Speed
(~1 ms per article, twice that without) comes from a prefilter: a family lists `needles`,
strings every match of its patterns contains, and a line holding none of them skips the
family's regexes.  Rules are cached per path, per-site extras per pattern tuple.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from extract.paths import config_file

_STOPS = re.compile(r"[。！？!?]")
DEFAULT_PATH = config_file("boilerplate.toml")


@dataclass(frozen=True)
class Family:
    """One family of boilerplate lines (ICP numbers, copyright, share widgets …)."""

    name: str
    why: str
    regex: re.Pattern[str]
    literals: re.Pattern[str]  # the family's needles; a line holding none cannot match ("" = no prefilter)
    max_len: int  # 0 = no limit
    max_stops: int  # most sentence stops (。！？) a matching line may hold; -1 = any
    footer: bool  # counts toward the combined-footer rule
    tail_only: bool  # only after the last prose line
    unless: re.Pattern[str] | None  # veto: a line matching this is never in the family

    def fits(self, line: str) -> bool:
        if self.max_len and len(line) > self.max_len:
            return False
        return self.max_stops < 0 or len(_STOPS.findall(line)) <= self.max_stops

    def hits(self, line: str, lower: str) -> bool:
        if not self.footer and not self.fits(line):  # only footer families act beyond fits()
            return False
        if not self.literals.search(lower) or not self.regex.search(line):
            return False
        return self.unless is None or not self.unless.search(line)


@dataclass(frozen=True)
class Rules:
    families: tuple[Family, ...]
    any_literal: re.Pattern[str]  # a line without any family's literal skips all families
    footer_literal: re.Pattern[str]  # the same for lines too long for non-footer families
    short_max_len: int  # longest max_len of a non-footer family
    family_max_len: int  # longer lines are prose; no family or footer rule can drop them
    footer_min_families: int
    footer_max_len: int
    footer_max_stops: int
    prose_min_len: int
    chrome_split: re.Pattern[str]
    chrome_tokens: frozenset[str]
    chrome_max_len: int
    fields_max_len: int
    label_re: re.Pattern[str]  # a label and its separator, group "label"
    label_field: dict[str, str]  # label -> author/chief_editor/editor/review/source/photo/date/noise
    name_re: re.Pattern[str]  # whole value = names (after roles are removed)
    role_re: re.Pattern[str]
    any_role_re: re.Pattern[str]  # a role word anywhere, also glued to the names around it
    lead_credit_re: re.Pattern[str]  # "本报讯（记者 张三 通讯员 李四）" opening the first paragraph
    not_names: frozenset[str]
    anonymous: frozenset[str]  # credit values that name nobody (佚名): the line is a credit, the field stays empty
    source_re: re.Pattern[str]
    noise_re: re.Pattern[str]
    date_re: re.Pattern[str]
    date_line_re: re.Pattern[str]
    byline_re: re.Pattern[str]  # "(李洲)", "(全媒体记者 余耀耀)" alone on a line
    end_byline_re: re.Pattern[str]  # the same glued to the last paragraph: "…召开。(全媒体记者 余耀耀)"
    inline_credit_re: re.Pattern[str]  # "…。(责任编辑：张三)" at the end of a paragraph
    title_sep_re: re.Pattern[str]
    title_site_re: re.Pattern[str]
    title_spam_re: re.Pattern[str]
    title_generic_re: re.Pattern[str]  # a title segment that names no article: 首页, 官方网站
    title_site_max_len: int
    title_column_max_len: int

    def families_hit(self, core: str) -> list[Family]:
        """The drop families whose patterns hit the (NFKC, simplified) line."""
        if len(core) > self.family_max_len:
            return []
        lower = core.lower()
        prefilter = self.any_literal if len(core) <= self.short_max_len else self.footer_literal
        if not prefilter.search(lower):
            return []
        return [f for f in self.families if f.hits(core, lower)]

    def is_footer(self, core: str, hit: list[Family]) -> bool:
        """Several footer families on one line (版权所有 … ICP备 … 地址) and no prose."""
        return (
            len({f.name for f in hit if f.footer}) >= self.footer_min_families
            and len(core) <= self.footer_max_len
            and len(_STOPS.findall(core)) <= self.footer_max_stops
        )

    def is_chrome(self, core: str) -> bool:
        """A row made only of widget words: 微博 / 【打印】【关闭】 / 字体:大 中 小."""
        if len(core) > self.chrome_max_len or "。" in core:
            return False
        tokens = [t for t in self.chrome_split.split(core.lower()) if t]
        if len(tokens) == 1 and len(tokens[0]) == 1:  # a lone 中 is text, 大 中 小 is a widget
            return False
        return bool(tokens) and all(t in self.chrome_tokens for t in tokens)


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _literal_re(lits: set[str]) -> re.Pattern[str]:
    """One regex for "any of these strings"; those containing a shorter one are redundant."""
    keep = sorted((x for x in lits if not any(y != x and y in x for y in lits)), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keep)))


def _family(name: str, spec: dict[str, Any]) -> Family:
    needles = {str(n).lower() for n in spec.get("needles", ()) if str(n)}
    # no needles: the empty pattern matches every line, so the family's regexes always run
    literals = _literal_re(needles) if needles else re.compile("")
    return Family(
        name=name,
        why=spec["why"],
        regex=_alternation(spec["patterns"]),
        literals=literals,
        max_len=int(spec.get("max_len", 0)),
        max_stops=int(spec.get("max_stops", -1)),
        footer=bool(spec.get("footer", False)),
        tail_only=spec.get("zone", "any") == "tail",
        unless=re.compile(spec["unless"]) if "unless" in spec else None,
    )


@lru_cache(maxsize=4)
def load_rules(path: Path = DEFAULT_PATH) -> Rules:
    """Parse and compile the TOML rules (cached: called for every article)."""
    with open(path, "rb") as fh:
        cfg = tomllib.load(fh)
    fields, title = cfg["fields"], cfg["title"]
    label_field = {lab: fld for fld, labs in fields["labels"].items() for lab in labs}
    labels = "|".join(re.escape(x) for x in sorted(label_field, key=len, reverse=True))
    name, roles = fields["name"], fields["roles"]
    names = rf"(?:{roles}\s*)?{name}(?:\s*[\s、,，/]\s*(?:{roles}\s*)?{name})*"
    families = tuple(_family(n, s) for n, s in cfg["drop"].items())
    return Rules(
        families=families,
        any_literal=re.compile("|".join(f.literals.pattern for f in families)),
        footer_literal=re.compile("|".join(f.literals.pattern for f in families if f.footer)),
        short_max_len=max(f.max_len for f in families if not f.footer),
        family_max_len=max(int(cfg["footer"]["max_len"]), *(f.max_len or 10**9 for f in families)),
        footer_min_families=int(cfg["footer"]["min_families"]),
        footer_max_len=int(cfg["footer"]["max_len"]),
        footer_max_stops=int(cfg["footer"]["max_sentence_stops"]),
        prose_min_len=int(cfg["prose"]["min_len"]),
        chrome_split=re.compile(cfg["chrome"]["split"]),
        chrome_tokens=frozenset(t.lower() for t in cfg["chrome"]["tokens"]),
        chrome_max_len=int(cfg["chrome"]["max_len"]),
        fields_max_len=int(fields["max_len"]),
        label_re=re.compile(rf"(?P<label>{labels})\s*(?:[:：]|/(?=\S))\s*"),
        label_field=label_field,
        name_re=re.compile(rf"{names}"),
        role_re=re.compile(rf"(?:^|(?<=[\s、,，/])){roles}"),
        any_role_re=re.compile(roles),
        lead_credit_re=re.compile(  # a role first; names may touch the next role: 记者张三通讯员李四
            rf"^[\s|*]*(?:{fields['lead']})?\s*[(（]\s*(?P<names>{roles}\s*{name}"
            rf"(?:(?:\s*[\s、,，/]\s*|(?={roles}))(?:{roles}\s*)?{name})*)\s*[)）]\s*"),
        not_names=frozenset(fields["not_names"]),
        anonymous=frozenset(v.lower() for v in fields.get("anonymous", ())),
        source_re=re.compile(fields["source"]),
        noise_re=re.compile(fields["noise"]),
        date_re=re.compile(fields["date"]),
        date_line_re=re.compile(fields["date_line"]),
        byline_re=re.compile(rf"^[(（]\s*(?P<names>{names})\s*[)）]$"),
        end_byline_re=re.compile(rf"(?<=[。！？!?”」』])\s*[(（]\s*(?P<names>{names})\s*[)）][\s|]*$"),
        inline_credit_re=re.compile(fields["inline_credit"]),
        title_sep_re=re.compile(f"({title['separators']})"),
        title_site_re=re.compile(title["site"]),
        title_spam_re=re.compile(title["spam"]),
        title_generic_re=re.compile(title["generic"]),
        title_site_max_len=int(title["site_max_len"]),
        title_column_max_len=int(title["column_max_len"]),
    )


@lru_cache(maxsize=256)
def compile_extra(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """Per-site drop patterns from the site config, compiled once per distinct tuple."""
    return _alternation(list(patterns)) if patterns else None
