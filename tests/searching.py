"""The search tests' reference: `kexie search` ids, and a plain substring scan of the archive to
compare them with.
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

from archive.search_text import fold, needle
from tests.conftest import kexie


def search_ids(db: Path, query: str, *options: str) -> list[int]:
    """`kexie search` over titles and texts (not attachments: the scans and Datasette's search do not read them);
    the query after `--`, as a query that starts with -word must be."""
    out = kexie("search", "--json", "--limit", "1000", "--attachments", "none", *options, "--", query, db=db).stdout
    return [json.loads(line)["id"] for line in out.splitlines()]


def literal(term: str) -> str:
    """The query that finds `term` as one Ctrl-F string: quoted when it has a space (else its words would
    each have to occur, anywhere) or starts with a minus."""
    return f'"{term}"' if term[:1] == "-" or any(c.isspace() for c in term) else term


def scan(db: Path, query: str, with_duplicates: bool = True) -> set[int]:
    """The reference: a plain substring scan of every title and text for the one string `query` (folded
    like the search); search for it with literal(query)."""
    conn = sqlite3.connect(db)
    near = {r[0] for r in conn.execute("SELECT article_id FROM near_duplicates")}
    found = needle(query)
    return {i for i, title, text in conn.execute("SELECT id, title, text FROM articles")
            if (found in fold(title or "") or found in fold(text or "")) and (with_duplicates or i not in near)}


def queries_from(db: Path, seed: int = 7) -> list[str]:
    """1- to 8-character Chinese queries cut from the archive's texts, plus mixed and absent ones."""
    rng = random.Random(seed)
    texts = [r[0] for r in sqlite3.connect(db).execute("SELECT text FROM articles ORDER BY id")]
    picked: list[str] = []
    for length in range(1, 9):
        while len(picked) < length * 3:
            text = rng.choice(texts)
            at = rng.randrange(len(text) - length)
            cut = text[at:at + length]
            if all("\u4e00" <= c <= "\u9fff" for c in cut):
                picked.append(cut)
    return picked + ["科协", "院士", "科普示范", "王喆", "2023年", "2024年全市科协", "5G", "ai", "（市）", "“三长”",
                     "科协 工作", "龘", "。全", "- "]

