"""`kexie reextract` for attachments: read the stored files' text again with today's readers
(extract/attachment_text.py), in the extraction workers, without fetching anything.

A few files at a time are in memory (BATCH), each written in its own short write transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from archive.attachments import attachment_body, attachment_text, attachments_to_check, update_attachment_text
from archive.db import Archive
from archive.writer import immediate
from extract.attachment import Attachment
from extract.attachment_text import EXTRACTOR_VERSION, attachment_fields
from pipelines.pool import _workers, shared_pool

BATCH = 8


@dataclass(frozen=True)
class AttachmentOutcome:
    attachment_id: int
    name: str
    old_status: str
    new_status: str
    text_changed: bool

    def describe(self) -> str:
        what = "text changed" if self.text_changed else "text unchanged"
        status = f", {self.old_status} -> {self.new_status}" if self.old_status != self.new_status else ""
        return f"attachment #{self.attachment_id} {self.name}: {what}{status}"


def reextract_attachments(archive: Archive, site: str | None, dry_run: bool = False,
                          workers: int = -1) -> Iterator[AttachmentOutcome]:
    """Every stored attachment (of `site`'s URLs) read again; yields the ones whose text or status changed."""
    todo = attachments_to_check(archive.db.conn, site)
    count = _workers(workers)
    for start in range(0, len(todo), BATCH):
        batch = [(i, Attachment(url="", body=attachment_body(archive.db.conn, i) or b"", mime=mime))
                 for i, mime in todo[start:start + BATCH]]
        if count:
            futures = [shared_pool(count).submit(attachment_fields, item) for _, item in batch]
            results = [future.result() for future in futures]
        else:
            results = [attachment_fields(item) for _, item in batch]
        for (attachment_id, _), fields in zip(batch, results, strict=True):
            name, text, status = attachment_text(archive.db.conn, attachment_id)
            if fields["text"] == text and fields["text_status"] == status:
                continue
            if not dry_run:
                with immediate(archive.db):
                    update_attachment_text(archive, attachment_id, fields, EXTRACTOR_VERSION)
            yield AttachmentOutcome(attachment_id, name, status, fields["text_status"], fields["text"] != text)
