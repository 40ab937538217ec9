"""One site's main-content container, learned in the crawl process from what the workers report.

Both extractors cost most of a page's CPU, and a site's pages mostly share one template. So the
site's first pages run the extractors as always, and each reports the container that gives back
their text (extract/container.py). After AGREE pages in a row report the same container (same
XPath, same extra lines), the site's later pages are sent with it and take their text from it
alone. The extractors still run:

* on a page the container does not fit (missing, too little text, too much link text): the
  worker falls back by itself; MISSES such pages in a row mean the template changed (one is
  just an unusual page: a photo story, a notice);
* on every RECHECK-th page, sent without the container: if its extractors' text comes from
  another container, or from none, the container is dropped and the site learns again.

A site whose pages never agree stops looking after GIVE_UP pages and looks again REST pages
later, so the search (~1 ms a page) is not paid on every page of a site it cannot help.
"""

from __future__ import annotations

from dataclasses import dataclass

from extract.container import Container

AGREE = 3  # pages in a row reporting the same container before the site uses it
RECHECK = 20  # every this many pages, the extractors run again to check the container
MISSES = 3  # pages in a row the container did not fit before it is dropped
GIVE_UP = 10  # pages in a row without a container before the site stops looking
REST = 100  # pages the site then goes without looking
SHORT = 0.2  # a page whose container text is below this share of the shortest learned page falls back
TEXT_MIN = 60  # non-space characters a container's text needs at any rate
LINKS_MORE = 0.15  # link share a container may have above the largest learned one


@dataclass
class ContainerLearning:
    """What one site run learned: the container in use (or the one being counted) and its counters."""

    learned: Container | None = None
    candidate: Container | None = None  # while learning: the latest container reported, and how often in a row
    streak: int = 0
    sent: int = 0  # pages given out since the container was learned
    misses: int = 0  # container pages in a row that fell back to the extractors
    empty: int = 0  # pages in a row that found no container
    resting: int = 0  # pages still to go without looking
    learned_times: int = 0
    dropped_times: int = 0

    def next_page(self) -> tuple[Container | None, bool]:
        """(container to use, whether to look for one) for the site's next page."""
        if self.learned is not None:
            self.sent += 1
            return (None, True) if self.sent % RECHECK == 0 else (self.learned, True)
        if self.resting:
            self.resting -= 1
            return None, False
        return None, True

    def observe(self, extracted_by: str, found: Container | None) -> None:
        """A page's outcome, from its worker: how its text was found and which container gave it back."""
        if extracted_by == "container":
            self.misses = 0
        elif extracted_by == "fallback" and self.learned is not None:
            self.fallback(found)
        elif extracted_by in ("extractors", "fallback"):
            self.checked(found) if self.learned is not None else self.counted(found)

    def fallback(self, found: Container | None) -> None:
        """The learned container did not fit a page; the extractors ran on it."""
        assert self.learned is not None
        if found is not None and found.xpath == self.learned.xpath:
            self.misses = 0  # the same container, only an unusual page (a short notice)
            return
        self.misses += 1
        if self.misses >= MISSES:  # one odd page is no template change; every page since is
            self.drop()
            self.counted(found)  # what the extractors' text came from on this page starts the new count

    def checked(self, found: Container | None) -> None:
        """A page the extractors ran on while a container is in use: a check, or one sent before."""
        assert self.learned is not None
        if found is None or found.xpath != self.learned.xpath or not set(found.extra) <= set(self.learned.extra):
            self.drop()

    def counted(self, found: Container | None) -> None:
        if found is None:
            self.candidate, self.streak, self.empty = None, 0, self.empty + 1
            if self.empty >= GIVE_UP:
                self.empty, self.resting = 0, REST
            return
        self.empty = 0
        last = self.candidate
        if last is None or (found.xpath, found.extra) != (last.xpath, last.extra):
            self.candidate, self.streak = found, 1
        else:
            self.streak += 1
            self.candidate = last._replace(chars=min(last.chars, found.chars),
                                           link_share=max(last.link_share, found.link_share))
        if self.streak >= AGREE:
            self.learn(self.candidate)

    def learn(self, seen: Container) -> None:
        """Use a container: `chars` and `link_share` become the limits a page's container must keep."""
        self.learned = seen._replace(chars=max(TEXT_MIN, int(SHORT * seen.chars)),
                                     link_share=seen.link_share + LINKS_MORE)
        self.candidate, self.streak, self.sent, self.misses = None, 0, 0, 0
        self.learned_times += 1

    def drop(self) -> None:
        self.learned, self.candidate, self.streak, self.misses = None, None, 0, 0
        self.dropped_times += 1
