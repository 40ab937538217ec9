"""The writes that cross the corridor from the crawl to the archive, as typed objects.

Every write the crawl queues for the archive (its store stage's pages and files, its spider's
frontier notes and attachment links, its site runs' learned containers, a worker's run beginning
and ending) is one of these. Each applies itself to the archive inside a batch's transaction
(archive/writer.py) and encodes itself as the fields of a Redis message for a distributed crawl's
archiver, which decodes it by its declared `kind` (distributed/wire.py) and applies it the same
way. No write travels as a closure: a write of a new shape is a new class here, and the wire knows
it by its kind at once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, Literal

from archive import frontier, remote_runs
from archive.attachments import add_attachment_reject, link_attachment, store_attachment
from archive.learned import keep_container
from dedupe.clusters import restand, retext
from dedupe.codec import decode_attachment, decode_stored_page, encode_attachment, encode_page
from dedupe.write import write_page
from extract.attachment import Attachment
from extract.container import Container, from_json
from extract.page import Page
from extract.sketch import Sketch

KINDS: dict[str, type[Write]] = {}  # every write by the kind it declares: what a message may carry


class Write:
    """A write for the archive: `apply` runs inside the batch's transaction and returns a result for
    its owner; `encode` gives the message fields (besides its `type`, the kind) `decode` reads back."""

    kind: ClassVar[str] = ""  # none: a write that never crosses Redis (a re-extraction's revision)
    site: str  # the site whose crawl asked for it: a message names the archive that site's job came from

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.kind:
            return
        if cls.kind in KINDS:
            raise TypeError(f"two writes declare the kind {cls.kind!r}")
        KINDS[cls.kind] = cls

    def apply(self, archive: Any) -> Any:
        raise NotImplementedError

    def encode(self) -> dict[str, str]:
        return {"data": json.dumps(asdict(self), ensure_ascii=False)}  # type: ignore[call-overload]

    @classmethod
    def decode(cls, fields: Mapping[str, str]) -> Write:
        return cls(**json.loads(fields["data"]))


@dataclass(repr=False)
class PageWrite(Write):
    """A fetched page: dedupe's decision and the store (dedupe/write.py); returns the outcome."""

    kind = "page"
    page: Page
    stored_body: bytes = b""  # the body compressed as the archive stores it, when it came so through Redis
    site: str = field(init=False)

    def __post_init__(self) -> None:
        self.site = self.page.site

    def __repr__(self) -> str:
        return f"<PageWrite {self.page!r}>"

    def apply(self, archive: Any) -> str:
        return write_page(self.page, archive, self.stored_body)

    def encode(self) -> dict[str, str]:
        return {"data": encode_page(self.page)}

    @classmethod
    def decode(cls, fields: Mapping[str, str]) -> PageWrite:
        return cls(*decode_stored_page(fields["data"]))


@dataclass(repr=False)
class AttachmentWrite(Write):
    """A fetched file, stored once by its SHA-256 (archive/attachments.py); returns the outcome."""

    kind = "attachment"
    item: Attachment
    extractor_version: str
    site: str = field(init=False)

    def __post_init__(self) -> None:
        self.site = self.item.site

    def __repr__(self) -> str:
        return f"<AttachmentWrite {self.item!r}>"

    def apply(self, archive: Any) -> str:
        return store_attachment(archive, self.item, self.extractor_version)

    def encode(self) -> dict[str, str]:
        return {"data": encode_attachment(self.item, self.extractor_version)}

    @classmethod
    def decode(cls, fields: Mapping[str, str]) -> AttachmentWrite:
        return cls(*decode_attachment(fields["data"]))


@dataclass
class AttachmentLink(Write):
    """An article page (canonical URL) links this attachment URL (canonical)."""

    kind = "attachment_link"
    page_url: str
    attachment_url: str
    site: str
    link_text: str

    def apply(self, archive: Any) -> None:
        link_attachment(archive, self.page_url, self.attachment_url, self.site, self.link_text)


@dataclass
class AttachmentReject(Write):
    """A file refused before its body came (larger than the limit), kept aside in `rejects`."""

    kind = "attachment_reject"
    url: str
    canonical_url: str
    site: str
    reason: str
    detail: str
    run_id: int | None

    def apply(self, archive: Any) -> None:
        add_attachment_reject(archive, self.url, self.canonical_url, self.site, self.reason, self.detail,
                              self.run_id)


Change = Literal["visiting", "visited", "failed"]


@dataclass
class FrontierNote(Write):
    """A change of the site's frontier (archive/frontier.py): a list page, sitemap, feed or file asked
    for (`visiting`), done with (`visited`), or failed for a reason that may pass (`failed`)."""

    kind = "frontier"
    change: Change
    site: str
    url: str
    page_kind: str = ""  # list, sitemap, feed, article or attachment: for visiting and failed
    reason: str = ""  # for failed
    run_id: int | None = None  # for visiting and failed

    def apply(self, archive: Any) -> None:
        if self.change == "visited":
            frontier.visited(archive, self.site, self.url)
        elif self.change == "visiting":
            frontier.visiting(archive, self.site, self.url, self.page_kind, self.run_id)
        elif self.change == "failed":
            frontier.failed(archive, self.site, self.url, self.page_kind, self.reason, self.run_id)
        else:
            raise ValueError(f"no frontier change {self.change!r}")

    def encode(self) -> dict[str, str]:
        data: dict[str, Any] = {"site": self.site, "url": self.url}
        if self.change != "visited":
            data.update(kind=self.page_kind, run_id=self.run_id)
        if self.change == "failed":
            data["reason"] = self.reason
        return {"op": self.change, "data": json.dumps(data, ensure_ascii=False)}

    @classmethod
    def decode(cls, fields: Mapping[str, str]) -> FrontierNote:
        data = json.loads(fields["data"])
        if fields.get("op") not in ("visiting", "visited", "failed"):
            raise ValueError(f"no frontier change {fields.get('op')!r}")
        return cls(fields["op"], data["site"], data["url"], data.get("kind", ""),  # type: ignore[arg-type]
                   data.get("reason", ""), data.get("run_id"))


@dataclass
class ContainerNote(Write):
    """The site's run learned its main-content container (extract/learning.py), or dropped it (None):
    kept in the archive for the site's next crawls, which start with it (archive/learned.py)."""

    kind = "container"
    site: str
    run_id: int | None
    container: Container | None

    def apply(self, archive: Any) -> None:
        keep_container(archive.db, self.site, self.container, self.run_id)

    @classmethod
    def decode(cls, fields: Mapping[str, str]) -> ContainerNote:
        data = json.loads(fields["data"])
        return cls(data["site"], data["run_id"], from_json(data["container"]))


@dataclass
class RunBegin(Write):
    """A worker took a site's job: the run's row says which worker, since when (archive/remote_runs.py)."""

    kind = "begin"
    run_id: int
    site: str
    worker: str
    started_at: str

    def apply(self, archive: Any) -> None:
        remote_runs.begin_run(archive.db, self.run_id, self.worker, self.started_at)


@dataclass
class RunEnd(Write):
    """A worker's end of a site's run, after all its pages; returns whether the run is complete
    (then the site's backlog has been walked to its end)."""

    kind = "finish"
    run_id: int
    site: str
    worker: str
    counts: dict[str, Any]

    def apply(self, archive: Any) -> bool:
        complete = remote_runs.finish_run(archive.db, self.run_id, self.counts)
        if complete:
            frontier.backfill_done(archive, self.site)
        return complete


@dataclass(repr=False)
class ArticleRevision(Write):
    """Re-extraction's new fields for a stored article (pipelines/reextract.py), with the sketch of its
    new text when the text changed: its near-duplicate signature and links, or its standing among
    the copies of its text (title, date), are brought up to date with it (dedupe/clusters.py).
    Written beside the archive by `kexie reextract`: it never crosses Redis (no kind)."""

    article_id: int
    site: str
    fields: dict[str, Any]
    sketch: Sketch | None = None

    def __repr__(self) -> str:
        return f"<ArticleRevision #{self.article_id} {sorted(self.fields)}>"

    def apply(self, archive: Any) -> None:
        archive.revise(self.article_id, self.fields)
        if "text" in self.fields:
            retext(archive, self.article_id, self.sketch)
        elif "title" in self.fields or "published_at" in self.fields:  # what ranks the copies of a text
            restand(archive, self.article_id)
