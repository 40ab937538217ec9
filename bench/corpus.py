"""Load the shared test corpus (../shared/corpus) into Page records.

The pages are third-party copyrighted files: they are read in place, never copied.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.scoring import is_chinese, true_date

DATE_KEYS = ("date", "publish_date", "publishedTime")


@dataclass(frozen=True)
class Page:
    """One corpus page and what its truth says; kind is 'full', 'snippets' or 'none'."""

    folder: str
    file: str
    path: str
    url: str | None
    language: str
    kind: str
    truth: str = ""
    must: tuple[str, ...] = ()
    must_not: tuple[str, ...] = ()
    date: str | None = None
    title: str | None = None

    @property
    def group(self) -> str:
        """'zh' for Chinese pages (zh, zh-Hant, zh-*), 'other' for the rest."""
        return "zh" if is_chinese(self.language) else "other"


def _read_json(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _first_date(*sources: dict[str, Any]) -> str | None:
    """The first full YYYY-MM-DD among the known date keys (year-only dates do not count)."""
    for source in sources:
        for key in DATE_KEYS:
            value = source.get(key)
            if isinstance(value, str) and (found := true_date(value)):
                return found
    return None


def _title(*sources: dict[str, Any]) -> str | None:
    for source in sources:
        value = source.get("title")
        if isinstance(value, str) and value.strip():
            return value
    return None


def _page(folder: Path, row: dict[str, str]) -> Page | None:
    """Build a Page from a MANIFEST row, or None when the HTML file is missing."""
    html = folder / row["file"]
    if not html.exists():
        return None
    stem = row["file"].removesuffix(".html")
    meta = _read_json(folder / f"{stem}.meta.json")
    snippets = _read_json(folder / f"{stem}.snippets.json")
    truth_file = row.get("ground_truth_file", "")
    has_truth = row.get("has_ground_truth", "") == "yes"
    truth = ""
    if has_truth and truth_file.endswith(".txt") and (folder / truth_file).exists():
        truth = (folder / truth_file).read_text(encoding="utf-8")
        kind = "full"
    elif snippets.get("with") or snippets.get("without"):
        kind = "snippets"
    else:
        kind = "none"
    return Page(
        folder=folder.name,
        file=row["file"],
        path=str(html),
        url=(row.get("url") or "").strip() or None,
        language=row.get("language", ""),
        kind=kind,
        truth=truth,
        must=tuple(str(s) for s in snippets.get("with", [])),
        must_not=tuple(str(s) for s in snippets.get("without", [])),
        date=_first_date(meta, snippets),
        title=_title(meta, snippets),
    )


def load_corpus(root: Path) -> list[Page]:
    """Every page listed in every folder's MANIFEST.tsv, in a stable order."""
    pages: list[Page] = []
    for manifest in sorted(root.glob("*/MANIFEST.tsv")):
        with manifest.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                page = _page(manifest.parent, row)
                if page is not None:
                    pages.append(page)
    return pages
