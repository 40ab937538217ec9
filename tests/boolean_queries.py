"""Boolean queries for the search tests, each with its reference: a plain substring scan of the stored texts.

A query is generated as a structure first (groups of words, one of each group must occur; words that
must not), then written out in one of the syntax's spellings (OR, AND or spaces, -word, NOT word,
"quoted", traditional script for a simplified word). The reference evaluates the structure over the
stored titles and texts with Python's `in`, so it shares nothing with the parser under test.
"""

from __future__ import annotations

import random
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from archive.search_text import fold  # the Ctrl-F folding of a text (case, width, blanks), tested elsewhere

# traditional spellings of simplified words: the query may use either, the reference uses the simplified
TRADITIONAL = {"科协": "科協", "会议": "會議", "学会": "學會", "协会": "協會", "开展": "開展", "举办": "舉辦",
               "专家": "專家", "活动": "活動", "发展": "發展"}
WORDS = ["科协", "院士", "专家", "会议", "学会", "科普", "通知", "2024年", "协会", "开展", "举办", "活动", "发展",
         "报讯", "龘"]


@dataclass(frozen=True)
class Boolean:
    """What a query means: every group has one word that occurs, no excluded word occurs."""

    groups: tuple[tuple[str, ...], ...]
    excluded: tuple[str, ...] = ()

    def holds(self, title: str, text: str) -> bool:
        def found(word: str) -> bool:
            return word in title or word in text
        return all(any(map(found, g)) for g in self.groups) and not any(map(found, self.excluded))


class Texts:
    """The archive's titles and texts, folded once, and the near copies (hidden by default)."""

    def __init__(self, db: Path) -> None:
        conn = sqlite3.connect(db)
        stored = conn.execute("SELECT id, title, text FROM articles")
        self.rows = [(i, fold(t or ""), fold(x or "")) for i, t, x in stored]
        self.near = {r[0] for r in conn.execute("SELECT article_id FROM near_duplicates")}
        conn.close()

    def scan(self, meaning: Boolean, with_duplicates: bool = True) -> set[int]:
        return {i for i, title, text in self.rows
                if meaning.holds(title, text) and (with_duplicates or i not in self.near)}

    def phrases(self) -> list[str]:
        """Strings with a space inside, cut from the texts: a phrase must stay one exact string."""
        found = {m.group() for _, _, text in self.rows for m in re.finditer(r"[^\s\"-]{2} [^\s\"-]{1,2}", text)}
        return sorted(found)[:40]

    def cuts(self, rng: random.Random, count: int) -> list[str]:
        """Short Chinese strings cut from the texts (1 to 3 characters: some common, some rare)."""
        out: list[str] = []
        while len(out) < count:
            text = rng.choice(self.rows)[2]
            size = rng.randint(1, 3)
            at = rng.randrange(max(1, len(text) - size))
            cut = text[at:at + size]
            if len(cut) == size and all("\u4e00" <= c <= "\u9fff" for c in cut):
                out.append(cut)
        return out


def spell(word: str, rng: random.Random) -> str:
    """One way of writing a word: as is, in traditional script, or quoted (a phrase always quoted)."""
    if " " in word:
        return f'"{word}"'
    shown = TRADITIONAL.get(word, word) if rng.random() < 0.5 else word
    return f'"{shown}"' if rng.random() < 0.2 else shown


def write(meaning: Boolean, rng: random.Random, leading_minus: bool = True) -> str:
    """The query text of a structure, in a random spelling of the syntax."""
    parts = [" OR ".join(spell(w, rng) for w in group) for group in meaning.groups]
    for word in meaning.excluded:
        if " " in word:
            form = rng.choice(['-"{}"', 'NOT "{}"']).format(word)
        else:
            shown = TRADITIONAL.get(word, word) if rng.random() < 0.3 else word
            form = rng.choice(["-{}", "NOT {}", '-"{}"']).format(shown)
        at = rng.randint(0 if leading_minus else 1, len(parts))
        parts.insert(at, form)
    query = ""
    for n, part in enumerate(parts):
        query += (rng.choice([" ", "  ", "\u3000", " AND "]) if n else rng.choice(["", " "])) + part
    return query


def generate(texts: Texts, count: int, seed: int = 25, leading_minus: bool = True) -> list[tuple[str, Boolean]]:
    """`count` (query, meaning) pairs over common words, cuts from the texts and phrases with a space."""
    rng = random.Random(seed)
    pool = WORDS + texts.cuts(rng, 20) + texts.phrases()[:10]
    out = []
    for _ in range(count):
        groups = tuple(tuple(rng.sample(pool, rng.choice([1, 1, 2, 3]))) for _ in range(rng.choice([1, 2, 2, 3])))
        excluded = tuple(w for w in rng.sample(pool, rng.choice([0, 0, 1, 2])) if all(w not in g for g in groups))
        meaning = Boolean(groups, excluded)
        out.append((write(meaning, rng, leading_minus), meaning))
    return out
