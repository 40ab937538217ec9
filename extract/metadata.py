"""Page metadata (title, author, htmldate's date) from trafilatura's own extractors, lazily.

trafilatura's `extract_metadata` costs as much as its text extraction (~4 ms of a page's
~8 ms): most of it goes to the author XPaths and htmldate's extensive search, and it also
works out a sitename, categories, tags and a licence that nothing here reads. This module runs
the same extractors in the same order on the same tree, but the two costly answers only when a
stage asks for them: the author when the text itself has no byline (clean), htmldate's date when
no better date source exists (it is find_date's last tier). The meta tags and JSON-LD behind the
title and the url are read on first use too (about 0.25 ms a page): the title only decides when
no heading or <title> names the page, the url serves htmldate. The answers are the ones
`extract_metadata` would give.

Those extractors are trafilatura internals (outside its `__all__`), so trafilatura is bounded
below its next minor release in pyproject.toml, and tests/test_metadata.py checks every answer
against `extract_metadata` itself: a release that moves or changes them fails there first.
"""

from __future__ import annotations

from contextlib import suppress
from functools import cached_property
from html import unescape

import lxml.html
from htmldate import find_date

# trafilatura internals: see the module docstring
from trafilatura.metadata import examine_meta, extract_author, extract_meta_json, extract_title, extract_url
from trafilatura.settings import Document, set_date_params
from trafilatura.utils import line_processing

_LONGEST = 10000  # trafilatura's Document.clean_and_trim: longer values are cut


def _tidy(value: str | None) -> str | None:
    """What Document.clean_and_trim does to each string field."""
    if value is None:
        return None
    if len(value) > _LONGEST:
        value = value[: _LONGEST - 1] + "…"
    return line_processing(unescape(value))


class PageMetadata:
    """Every answer on first use (the title is read only when no heading or <title> names the page,
    the url only by htmldate). Holds the tree until the page is done."""

    def __init__(self, tree: lxml.html.HtmlElement, url: str | None, author: str | None = None) -> None:
        """`author`: one the page's known markup already gave (extract/platforms.py); it comes first."""
        self.tree = tree  # not mutated by anything here: extract_author and htmldate copy it
        self._url, self._author = url, author

    @cached_property
    def _found(self) -> Document:
        """The page's meta tags and JSON-LD, read as extract_metadata reads them."""
        found = examine_meta(self.tree)
        if found.author and " " not in found.author:  # extract_metadata's own rule, kept for equal answers
            found.author = None
        with suppress(Exception):  # extract_metadata guards this call the same way (bugs in JSON-LD parsing)
            found = extract_meta_json(self.tree, found)
        return found

    @cached_property
    def title(self) -> str | None:
        return _tidy(self._found.title or extract_title(self.tree))

    @cached_property
    def url(self) -> str | None:
        return self._found.url or extract_url(self.tree, self._url)  # type: ignore[no-any-return]

    @cached_property
    def author(self) -> str | None:
        return _tidy(self._author or self._found.author or extract_author(self.tree))

    @cached_property
    def date(self) -> str | None:
        return _tidy(find_date(self.tree, **set_date_params(True), url=self.url))
