"""Extraction round three (issue 27): each heuristic proves itself on the page before it acts.

One test per kind, each on a page written for these tests (tests/pages_round3/, no third-party
pages): a lone <article> that is a teaser box, a list of headline + summary items that is the
article's own body, embedded posts and widget lines when readability's text is chosen, a poem's
translation and notes, a short microblog post beside a long story in a huge portal page, a page in
neither Chinese nor English, and a date in the info line under the headline.  Every test failed
before the round-three changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.process import process_html

PAGES = Path(__file__).parent / "pages_round3"
URL = "https://www.hxkx.gov.cn/xw/show.asp?id=88"  # no date in any URL here


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def run(html: str, url: str = URL) -> dict[str, object]:
    return process_html(html.encode("utf-8"), url)


# ---------------------------------------------------------------- a date in the info line under the headline


@pytest.mark.parametrize("line", [
    "2024年3月10日 禾县科协",
    "二〇二四年三月十日 禾县科协",
    "二〇二四年3月10日　禾县科协",  # mixed: a year in Chinese numerals, month and day in digits
    "【2024年3月10日】 禾县科协",
])
def test_unlabelled_date_before_the_publisher_under_the_headline(line: str) -> None:
    out = run(page("info_line.html").replace("INFO_LINE", line))
    assert (out["published_at"], out["reject_reason"]) == ("2024-03-10", None)  # not the sidebar's 2024-02-20


@pytest.mark.parametrize("line", ["2024年3月10日 禾县科协召开全委会议，会议指出", "2024年3月10日 2024年3月1日"])
def test_a_sentence_or_second_date_after_the_date_is_no_info_line(line: str) -> None:
    out = run(page("info_line.html").replace("INFO_LINE", line))
    assert out["published_at"] != "2024-03-10" or out["date_source"] != "text"
