"""Which copy is the original, and keeping near-duplicate clusters right as copies arrive.

A cluster is a star: one original, its near copies linked to it (near_duplicates), each with
its exact Jaccard similarity to the original, never below near.THRESHOLD — a copy that only
resembles another copy is not hidden under an original it does not resemble. The original is
the copy with the best standing: the official association site, then newspapers and portals,
then mirrors; among equals the earliest publication date. A spam mirror (flagged in its site
file, or with gambling words in its site name or the title) never outranks any other copy.
"""

from __future__ import annotations

import re
from typing import Any

from archive.db import Archive, now_iso
from dedupe import near

# gambling-site SEO: casino brands, gambling words, and digit+letter domains sold as "官方版/官网";
# 澳门 alone is not enough (澳门科技大学 and Macau exchanges are association news)
_SPAM_WORDS = re.compile(
    r"新[蒲葡]京|博彩|娱乐城|赌场|赌博|百家乐|老虎机|时时彩|六合彩|真人(?:视讯|娱乐)|彩票(?:网|平台|app)|"
    r"澳门\S{0,4}(?:赌|彩|娱乐|金沙|葡京|威尼斯|银河)|威尼斯人|太阳城集团|(?<![a-z])(?:\d+bet|bet\d+)(?![a-z])|"
    r"\d{3,}[a-z]{2,}\S{0,16}官方|\d{3,}(?:金沙|葡京|威尼斯|太阳城|银河)",
    re.IGNORECASE,
)


def looks_like_spam(*names: str | None) -> bool:
    """Gambling or spam words in a site name or title."""
    return any(name and _SPAM_WORDS.search(name) for name in names)


def standing(official: Any, spam: Any, published_at: str | None, name: str | None = "",
             title: str | None = "") -> tuple[int, str]:
    """Sort key of a copy: lower is the better original."""
    rank = 2 if spam or looks_like_spam(name, title) else 0 if official else 1
    return rank, published_at or "9999"


def standing_of(row: dict[str, Any]) -> tuple[int, str]:
    """Standing of an `Archive.article_with_hash` / `article_standing` row."""
    return standing(row.get("official"), row.get("spam"), row.get("published_at"), row.get("name"), row.get("title"))


def article_standing(archive: Archive, article_id: int) -> tuple[int, str]:
    return standing_of(archive.article_standing(article_id))


def cluster_for(archive: Archive, mine: near.Sketch, exclude: int | None = None) -> int | None:
    """The original whose cluster a new text joins: that of its closest archived match whose
    original it also resembles (>= THRESHOLD); None when it resembles none."""
    hits = near.matches(archive, mine, exclude)
    sims = dict(hits)
    for article_id, _ in hits:
        root = archive.near.original_of(article_id) or article_id
        if root == exclude:
            continue
        if root not in sims:
            sims[root] = near.similarity(archive, mine, root)
        if sims[root] >= near.THRESHOLD:
            return root
    return None


def _relink(archive: Archive, original: int, members: list[int], mine: near.Sketch) -> None:
    """Link members under `original` (whose sketch is `mine`) with their similarity to it;
    one that no longer resembles it (a new version, a new original) stands alone again."""
    now = now_iso()
    for member in members:
        similarity = near.similarity(archive, mine, member)
        if similarity >= near.THRESHOLD:
            archive.near.link(member, original, similarity, now)
        else:
            archive.near.unlink(member)


def attach(archive: Archive, article_id: int, root: int, becomes_original: bool, mine: near.Sketch) -> None:
    """Link a stored near copy under root, or make it the original of root's cluster."""
    if becomes_original:
        _relink(archive, article_id, [root, *archive.near.members(root)], mine)
    else:
        archive.near.link(article_id, root, near.similarity(archive, mine, root), now_iso())


def restand(archive: Archive, article_id: int) -> None:
    """After an exact copy took over an article (promote), the article may outrank its
    cluster's original: then it becomes the original."""
    root = archive.near.original_of(article_id)
    if root is None or article_standing(archive, article_id) >= article_standing(archive, root):
        return
    mine = near.sketch(archive.near.texts([article_id])[article_id])
    if mine is not None:
        archive.near.unlink(article_id)
        attach(archive, article_id, root, True, mine)


def refresh(archive: Archive, article_id: int, mine: near.Sketch | None) -> None:
    """An article's text changed (a new version): re-index it and re-measure its links."""
    near.index(archive, article_id, mine)
    root = archive.near.original_of(article_id)
    members = archive.near.members(article_id)
    if mine is None:  # too short to resemble anything now
        for other in ([article_id] if root is not None else []) + members:
            archive.near.unlink(other)
        return
    if root is not None:
        similarity = near.similarity(archive, mine, root)
        if similarity >= near.THRESHOLD:
            archive.near.link(article_id, root, similarity, now_iso())
        else:
            archive.near.unlink(article_id)
    _relink(archive, article_id, members, mine)


def retext(archive: Archive, article_id: int, mine: near.Sketch | None) -> None:
    """An article's text changed (a new version, or `kexie reextract`): refresh it, then the article and
    each copy that lost its original that way join the cluster their text resembles now, as if
    they arrived again (in id order: the older of two equals stays the original)."""
    members = archive.near.members(article_id)
    refresh(archive, article_id, mine)
    for other in [article_id, *members]:
        if archive.near.original_of(other) is not None or archive.near.members(other):
            continue
        sketch = mine if other == article_id else near.sketch(archive.near.texts([other]).get(other, ""))
        root = cluster_for(archive, sketch, exclude=other) if sketch is not None else None
        if sketch is not None and root is not None:
            better = (article_standing(archive, other), other) < (article_standing(archive, root), root)
            attach(archive, other, root, better, sketch)
    restand(archive, article_id)


def backfill(archive: Archive) -> int:
    """Index articles stored before the near-duplicate index existed, linking them as they go
    (in id order, as if they arrived again); returns how many."""
    ids = archive.near.unindexed()
    for article_id in ids:
        mine = near.sketch(archive.near.texts([article_id])[article_id])
        linked = archive.near.original_of(article_id) is not None or archive.near.members(article_id)
        root = cluster_for(archive, mine, exclude=article_id) if mine is not None and not linked else None
        if mine is not None and root is not None:
            better = article_standing(archive, article_id) < article_standing(archive, root)
            attach(archive, article_id, root, better, mine)
        near.index(archive, article_id, mine)
    return len(ids)
