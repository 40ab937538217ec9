"""Strip site boilerplate that trafilatura leaves and move bylines into fields.

Rules live in config/boilerplate.toml (compiled by extract/rules.py); this module applies
them line by line.  Decisions use the simplified NFKC form of a line so one rule covers both
scripts; the archive keeps the surviving lines in both scripts (text / original).

Field policy: author = every 作者/记者/通讯员 value and an end-of-article "(李洲)" byline,
"; "-joined in order of appearance.  editor = 责任编辑 names first, then 编辑 names
("张中科; 徐冬梅"); 校审/审核/监审 names only when nobody is credited as editor.
source, photo = the first value found.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from extract.credits import Credits, credit_names, head_credits, header_line, lead_credit
from extract.normalise import hash_form, strip_pinyin, tidy, to_simplified
from extract.rules import compile_extra, load_rules

_PROSE_PUNCT = re.compile(r"[。，！？；,;]")
_MAX_HEAD = 30  # a repeated title is looked for only in this many leading lines
_NFKC_MAX = 1000
# a portal's "back to the site" link glued to the line before it ("（编辑：小何）返回搜狐，查看更多"): a line
# of its own, so that each half meets its rule (the credit goes to the editor field, the link is chrome)
_GLUED_CHROME = re.compile(r"(?<=\S)[ \t\u3000]*(?=返回\w{1,8}[,，]\s*查看更多[ \t]*$)", re.MULTILINE)


@dataclass
class Cleaned:
    text: str  # cleaned, simplified, tidy
    original: str  # cleaned, original script
    author: str | None = None
    editor: str | None = None
    source: str | None = None
    photo: str | None = None
    removed: list[str] = field(default_factory=list)


def _core(line: str) -> str:
    """The line as rules see it: NFKC (：→:, （→( ), no table pipes or list dashes.

    Lines too long for any rule are left un-normalised (NFKC costs ~1 ms per 10k chars)."""
    if len(line) <= _NFKC_MAX and not unicodedata.is_normalized("NFKC", line):
        line = unicodedata.normalize("NFKC", line)
    line = line.strip(" |*\t")
    return line[2:].lstrip() if line.startswith("- ") else line


def _title_lines(cores: list[str], prose: set[int], title: str | None) -> set[int]:
    """Leading lines that repeat the title, whole, as main title / subtitle, or split."""
    if not title:
        return set()
    title = strip_pinyin(title)
    whole = hash_form(title)
    targets = {t for t in (whole, *map(hash_form, title.split("——"))) if len(t) >= 4}
    hashes = [hash_form(c) for c in cores[:_MAX_HEAD]]
    drop: set[int] = set()
    for i in range(len(hashes)):
        acc = ""
        for j in range(i, len(hashes)):
            acc += hashes[j]
            if not acc or acc not in whole:
                break
            if acc in targets:
                drop.update(range(i, j + 1))
        if i in prose and i not in drop:  # the article has started
            break
    return drop


def clean_text(
    text: str, title: str | None = None, extra_patterns: Sequence[str] = (), simplify: bool = True,
    page_text: str = "",
) -> Cleaned:
    """Drop boilerplate lines, move credits into fields, return both scripts.

    simplify=False keeps the script (a Japanese page: t2s would turn its kanji into Chinese).
    page_text (the whole page's text) supplies credits the text lacks from the info line above
    the article (credits.head_credits)."""
    rules, extra = load_rules(), compile_extra(tuple(extra_patterns))
    text = _GLUED_CHROME.sub("\n", text) if "查看更多" in text else text  # the regex is slow on every text
    orig = tidy(strip_pinyin(text)).split("\n") if text.strip() else []
    simp = to_simplified("\n".join(orig)).split("\n") if simplify else list(orig)
    if len(simp) != len(orig):  # OpenCC keeps newlines; be safe anyway
        simp = [to_simplified(line) for line in orig]
    cores = [_core(s) for s in simp]
    hits = [rules.families_hit(c) for c in cores]
    prose = {
        i
        for i, c in enumerate(cores)
        if len(c) >= rules.prose_min_len and _PROSE_PUNCT.search(c) and not any(f.fits(c) for f in hits[i])
    }
    last_prose = max(prose, default=-1)
    # tail-only families (address, phone, 主办) need proof that the tail is a site footer:
    # an ICP / copyright / link-row line there.  A notice ending in its contacts keeps them.
    site_footer = any(
        rules.is_footer(c, hits[i]) or any(f.footer and not f.tail_only and f.fits(c) for f in hits[i])
        for i, c in enumerate(cores)
        if i > last_prose
    )
    drop = _title_lines(cores, prose, title)
    credits, first_prose, lead_cut = Credits(), min(prose, default=len(cores)), dict[int, int]()
    for i, core in enumerate(cores):
        if i in drop:
            continue
        if i <= first_prose and (lead := lead_credit(simp[i], rules)):  # （记者 张三）3月10日，…
            lead_cut[i] = lead[0]
            for kind, who in lead[1]:
                credits.add(kind, who)
            if not simp[i][lead[0]:].strip():
                drop.add(i)
            continue
        tail = i > last_prose
        footer_zone = tail and site_footer
        if (
            header_line(core, rules, credits)
            or any(f.fits(core) and (footer_zone or not f.tail_only) for f in hits[i])
            or rules.is_footer(core, hits[i])
            or rules.is_chrome(core)
            or (extra is not None and bool(extra.search(core) or extra.search(orig[i])))
        ):
            drop.add(i)
        elif tail and (m := rules.byline_re.match(core)) and (names := credit_names(m["names"], rules)):
            credits.add("author", names)
            drop.add(i)
    keep_o, keep_s, removed = [], [], []
    for i, (o, s) in enumerate(zip(orig, simp, strict=True)):
        if i in drop:
            removed.append(o)
            continue
        if cut := lead_cut.get(i, 0):
            removed.append(o[:cut].strip() if len(o) == len(s) else s[:cut].strip())
            s, o = s[cut:], o[cut:] if len(o) == len(s) else o
        # credits glued to a paragraph: "…。(责任编辑：张三)", "…召开。(全媒体记者 余耀耀)" at the end
        for regex, kind in ((rules.inline_credit_re, "editor"), (rules.end_byline_re, "author")):
            m = regex.search(s) if kind == "editor" or i == last_prose else None
            if m and (names := credit_names(m["names"], rules)) is not None:
                credits.add("chief_editor" if "责" in m.groupdict().get("label", "") else kind, names)
                cut = m.start() if len(o) == len(s) else len(o)  # same offsets unless t2s resized
                if cut < len(o):
                    removed.append(o[cut:].strip())
                s, o = s[: m.start()], o[:cut]
        if s.strip():
            keep_o.append(o)
            keep_s.append(s)
    if page_text:  # fields the text did not give, from the info line above the article
        for kind, values in head_credits(page_text, text, rules).items():
            for value in values if kind not in credits else ():
                credits.add(kind, value)
    simplified, original = "\n".join(keep_s), "\n".join(keep_o)
    return Cleaned(
        text=simplified,
        original=simplified if original == simplified else original,  # one object: pickled once to the crawl process
        author=credits.join("author"),
        editor=credits.join("chief_editor", "editor") or credits.join("review"),
        source=credits.first("source"),
        photo=credits.first("photo"),
        removed=removed,
    )


def clean_title(title: str, site_name: str | None = None) -> str:
    """Strip "_南阳网", " - 南阳网", "|栏目|站名" suffixes and spam prefixes; keep ——subtitles.

    Pinyin ruby is removed; the script is left as is (callers may to_simplified()).
    """
    rules = load_rules()
    parts = rules.title_sep_re.split(tidy(strip_pinyin(title)).replace("\n", " "))
    texts, seps = parts[0::2], parts[1::2]
    simp = [to_simplified(t).strip() for t in texts]
    site = hash_form(site_name) if site_name else ""
    start, end, cut_site = 0, len(texts), False
    while end - start > 1 and (not simp[start] or rules.title_spam_re.search(simp[start])):
        start += 1
    while end - start > 1:
        last, h = simp[end - 1], hash_form(simp[end - 1])
        is_site = bool(site and h and (site in h or h in site)) or (
            len(last) <= rules.title_site_max_len and bool(rules.title_site_re.search(last))
        )
        if last and not is_site and not (cut_site and len(last) <= rules.title_column_max_len):
            break
        end, cut_site = end - 1, cut_site or is_site
    out = texts[start]
    for k in range(start + 1, end):
        out += seps[k - 1] + texts[k]
    return out.strip()
