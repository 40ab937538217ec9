"""How text looks to the search index: folding, character 2-grams, FTS5 queries and snippets.

archive/search.py keeps the index (its DDL, triggers, queue and rebuilds) and explains the design;
this module is the text side both the index and every query use, and the SQL functions that let
Datasette and `kexie sql` call it. A query is read by archive/search_syntax.py (words, OR, -word,
"phrase"); each of its words becomes a needle here, and the FTS5 query, the scan (kexie_match) and the
snippet all work from those needles, so every search path agrees.

The index holds the stored text, which the clean stage has already turned simplified (OpenCC t2s,
extract.normalise.to_simplified), so a query is turned simplified the same way before it is folded:
科協 finds what 科协 finds. The texts themselves are not converted again here (they are simplified).
"""

from __future__ import annotations

import re
import sqlite3
from array import array
from functools import lru_cache

from archive.search_syntax import Query, read
from extract.normalise import to_simplified

TOKENS_VERSION = "2"  # bump when fold() or grams() change: ensure_search_index then rebuilds the index
SPACE, END = "\uffff", "\ufffe"  # a folded space inside a token; the end of a column (noncharacters)
COLUMNS = ("text_2gram", "title_2gram")  # text first: FTS5 spends no column marker on column 0
QUOTE = '"'
_COLUMN_SET = "{" + " ".join(COLUMNS) + "}"
TOKENCHARS = "".join(chr(i) for i in range(33, 127) if not chr(i).isalnum())
_WIDE = [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]  # ０-９ Ａ-Ｚ ａ-ｚ
_BLANK = [*range(0, 9), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0), 0x1680, *range(0x2000, 0x200B), 0x2028,
          0x2029, 0x202F, 0x205F, 0xFFFE, 0xFFFF]
_RARE = {**{cp: chr(cp - 0xFEE0) for cp in _WIDE}, **dict.fromkeys(_BLANK, " "), 0x130: "i"}
_RARE_RE = re.compile("[" + "".join(map(chr, _RARE)) + "]")
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")


def fold(text: str) -> str:
    """What a search compares: lower case, full-width letters and digits half width, every white space
    or control character a space. One character stays one character, so offsets still match."""
    if _RARE_RE.search(text):  # rare: a translate() is ten times slower than lower()
        text = text.translate(_RARE)
    text = text.lower()
    for blank in ("\n", "\t", "\r", "\u3000", "\xa0"):
        if blank in text:
            text = text.replace(blank, " ")
    return text


@lru_cache(maxsize=1024)
def simplified(query: str) -> str:
    """The query in simplified script, converted like the stored text was (phrase-level t2s, so 乾隆 stays
    乾隆 as it does in a converted text, while 乾 alone becomes 干).

    Kept one character for one: should a phrase conversion ever change the length (none of OpenCC's t2s
    entries does today), the query is converted character by character instead, so a needle stays as long
    as the query the user typed. A query with kana is Japanese, whose kanji the clean stage leaves alone:
    it is left alone too. Cached: Datasette calls this once a row for the snippet."""
    if _KANA.search(query):
        return query
    phrase = to_simplified(query)
    if len(phrase) == len(query):
        return phrase
    return "".join(s if len(s := to_simplified(c)) == 1 else c for c in query)


def needle(query: str) -> str:
    """The query as searched for: simplified, folded, outer spaces dropped. Every search path (the FTS
    phrase, the scan of queued articles, the snippet) goes through here, so all of them agree."""
    return fold(simplified(query)).strip(" ")


def grams(text: str) -> str:
    """The 2-grams of a folded text, space-separated for the index's `ascii` tokenizer, the last character
    paired with END so that every character starts one 2-gram (a 1-character query is a prefix query).

    Built as 32-bit code points with strided array copies: seven times faster than joining pairs."""
    cps = array("I")
    cps.frombytes((fold(text).replace(" ", SPACE) + END).encode("utf-32-le"))
    n = len(cps) - 1
    if n < 1:
        return ""
    out = array("I", [32]) * (3 * n)  # c0 c1 ␠ c1 c2 ␠ …
    out[0::3], out[1::3] = cps[:-1], cps[1:]
    return out.tobytes().decode("utf-32-le")[:-1]


@lru_cache(maxsize=256)
def needles(query: str) -> Query:
    """The query (archive/search_syntax.py, lenient reading) with every word and phrase as its needle."""
    return read(query).map(needle)


def _phrase(found: str) -> str:
    """The FTS5 phrase that finds exactly the rows whose title or text contain the needle `found`."""
    chars = found.replace(" ", SPACE)
    if len(chars) == 1:
        return f'"{chars.replace(QUOTE, QUOTE * 2)}"*'
    return '"' + " ".join(map(str.__add__, chars, chars[1:])).replace(QUOTE, QUOTE * 2) + '"'


def fts_query(query: str) -> str:
    """The FTS5 MATCH expression that finds exactly the rows the query finds: each group an OR of phrases,
    the groups ANDed, the excluded phrases NOTed (FTS5 evaluates each phrase over both columns)."""
    parsed = needles(query)
    if not parsed.groups:
        return '""'  # matches nothing
    groups = [" OR ".join(map(_phrase, g)) if len(g) == 1 else "(" + " OR ".join(map(_phrase, g)) + ")"
              for g in parsed.groups]
    found = " AND ".join(groups)
    if parsed.excluded:
        found = f"({found}) NOT ({' OR '.join(map(_phrase, parsed.excluded))})"
    elif len(groups) > 1:
        found = f"({found})"
    return f"{_COLUMN_SET} : {found}"


def matches(query: str, *texts: str | None) -> bool:
    """Whether the texts (a title and a text, say), taken together, satisfy the query: the scan that
    the index answers for articles it holds (used for queued articles and attachments)."""
    parsed = needles(query)
    folded = [fold(t) for t in texts if t]
    return bool(parsed.groups) and all(any(n in f for n in g for f in folded) for g in parsed.groups) \
        and not any(n in f for n in parsed.excluded for f in folded)


@lru_cache(maxsize=256)
def _highlight(query: str) -> tuple[list[str], re.Pattern[str]]:
    """The words of a query to highlight, longest first, and the pattern that finds any of them."""
    words = sorted({n for g in needles(query).groups for n in g}, key=len, reverse=True)
    return words, re.compile("|".join(map(re.escape, words)) or "(?!)")


def snippet(text: str | None, query: str, width: int = 80, mark: tuple[str, str] = ("<mark>", "</mark>")) -> str:
    """About `width` characters of `text` around the first match of a word of the query, every match of
    its words in that span wrapped in `mark`."""
    text = (text or "").replace("\n", " ")
    folded = fold(text)
    words, pattern = _highlight(query)
    hits = [(at, n) for n in words if (at := folded.find(n)) >= 0]
    if not hits:
        return text[:width] + ("…" if len(text) > width else "")
    at, found = min(hits)
    start = max(0, at - max(0, width - len(found)) // 2)
    end = max(at + len(found), start + width)
    out, done = [], start
    for hit in pattern.finditer(folded, start, end):
        out += [text[done:hit.start()], mark[0], text[hit.start():hit.end()], mark[1]]
        done = hit.end()
    out.append(text[done:max(end, done)])
    return ("…" if start else "") + "".join(out) + ("…" if max(end, done) < len(text) else "")


def register_functions(conn: sqlite3.Connection) -> None:
    """SQL functions for search on a connection: kexie_fts_query(q), kexie_match(q, title, text) (the scan),
    kexie_snippet(text, q), kexie_needle(q) and kexie_fold(text) (one word, as before the syntax)."""
    conn.create_function("kexie_fts_query", 1, lambda q: fts_query(str(q or "")), deterministic=True)
    conn.create_function("kexie_match", 3, lambda q, a, b: int(matches(str(q or ""), a, b)), deterministic=True)
    conn.create_function("kexie_needle", 1, lambda q: needle(str(q or "")), deterministic=True)
    conn.create_function("kexie_fold", 1, lambda s: None if s is None else fold(str(s)), deterministic=True)
    conn.create_function("kexie_snippet", 2, lambda t, q: snippet(t, str(q or "")), deterministic=True)
