"""The search syntax every search path shares: words that must all occur, OR, -word / NOT word, "a phrase".

    科协 院士            both occur (anywhere in the title or the text, each like Ctrl-F)
    院士 OR 专家         either occurs (OR in capitals; it binds tighter than the spaces, as in web search:
                         科协 院士 OR 专家 is 科协 and one of 院士, 专家)
    科协 -通知           科协 occurs and 通知 does not; NOT 通知 is the same
    "科协 工作"          the phrase, space included, stays one exact string
    科协 AND 院士        AND may be written; it changes nothing

Each word or phrase keeps the Ctrl-F semantics of a whole query before (archive/search_text.py: one
character or many, simplified and folded for case and width), so a query is a formula over substrings
and its result is exactly what a substring scan finds. Written that way a query is always a conjunction of
OR-groups plus exclusions (no parentheses: they are ordinary characters), which FTS5 evaluates directly.

A double quote always opens or closes a phrase (Chinese quotes “” are ordinary characters). `parse` is
strict: an unclosed quote, an OR or NOT with nothing to join, an excluded word inside an OR, or a query
that only excludes are a SyntaxError with a message for the user (`kexie search`, `kexie export -q`).
`read` is the lenient reading the SQL functions (Datasette's search box, `kexie sql`) use, which never
fails: an unclosed phrase runs to the end, an operator with nothing to join is dropped, an excluded word
inside an OR is excluded, and a query that only excludes finds nothing. On a well-formed query both agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

OPERATORS = ("OR", "AND", "NOT")
_TOKEN = re.compile(r'(?P<minus>-*)"(?P<phrase>[^"]*)(?P<closed>"?)|(?P<word>[^\s"]+)')


class QuerySyntaxError(ValueError):
    """A malformed query, with a message that says how to write it."""


@dataclass(frozen=True)
class Query:
    """A parsed query: every group must have one of its terms, no excluded term may occur."""

    groups: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()

    def map(self, convert: Callable[[str], str]) -> Query:
        """The query with every term converted (to a needle, say); terms that convert to nothing are left out."""
        def terms(values: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(dict.fromkeys(found for found in map(convert, values) if found))
        groups = tuple(group for group in map(terms, self.groups) if group)
        return Query(groups, terms(self.excluded))


def _tokens(query: str, strict: bool) -> list[tuple[str, str]]:
    """(kind, text) pairs: kind 'op' (OR, AND, NOT; a leading minus is a NOT) or 'term' (a word or phrase)."""
    out: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(query):
        word = match["word"]
        if word is None:
            if strict and not match["closed"]:
                raise QuerySyntaxError(f'unclosed quote in {query!r}: a phrase is written "like this"')
            out.extend([("op", "NOT")] * bool(match["minus"]) + [("term", match["phrase"])])
        elif word in OPERATORS:
            out.append(("op", word))
        elif not word.strip("-"):
            if strict:
                raise QuerySyntaxError(f"{query!r}: a minus goes right before the word it excludes, as in -通知")
        elif word.startswith("-"):
            out.extend([("op", "NOT"), ("term", word.lstrip("-"))])
        else:
            out.append(("term", word))
    return out


def _parse(query: str, strict: bool) -> Query:
    groups: list[list[str]] = []
    excluded: list[str] = []
    previous = "start"  # the last token: start, term (found), excluded, OR, AND or NOT
    for kind, text in _tokens(query, strict):
        if kind == "term":
            found = text.strip()
            if previous == "NOT":
                excluded.append(found)
            elif previous == "OR" and groups:
                groups[-1].append(found)
            else:
                groups.append([found])
            previous = "excluded" if previous == "NOT" else "term"
            continue
        if strict:
            _check(query, text, previous)
        previous = "NOT" if text == "NOT" else "OR" if text == "OR" and previous in ("term", "OR") else "AND"
    if strict and previous in OPERATORS:
        raise QuerySyntaxError(f"{query!r}: {'NOT or a minus' if previous == 'NOT' else previous}"
                               " at the end needs a word after it")
    groups = [[term for term in group if term] for group in groups]
    if strict and not any(groups):
        raise QuerySyntaxError(f"{query!r} has no word to find: give at least one that must occur"
                               if any(excluded) else "give some text to search for")
    return Query(tuple(tuple(g) for g in groups if g), tuple(e for e in excluded if e))


def _check(query: str, operator: str, previous: str) -> None:
    """Strict reading: an operator needs words to join (OR: two that must occur; AND: any two)."""
    if operator == "NOT" and previous == "NOT":
        raise QuerySyntaxError(f"{query!r}: NOT (or a minus) twice in a row")
    if operator == "NOT" and previous == "OR":
        raise QuerySyntaxError(f"{query!r}: an excluded word cannot be one side of an OR")
    if operator == "OR" and previous != "term":
        raise QuerySyntaxError(f"{query!r}: OR needs a word on each side, as in 院士 OR 专家")
    if operator == "AND" and previous not in ("term", "excluded"):
        raise QuerySyntaxError(f"{query!r}: AND needs a word on each side")


@lru_cache(maxsize=256)
def parse(query: str) -> Query:
    """The strict reading: a QuerySyntaxError says what is wrong with a malformed query."""
    return _parse(query, strict=True)


@lru_cache(maxsize=256)
def read(query: str) -> Query:
    """The lenient reading (never fails; equal to `parse` on a well-formed query)."""
    return _parse(query, strict=False)
