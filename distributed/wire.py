"""What travels through Redis between the enqueuer, the workers and the archiver, as JSON.

JSON, not pickle: a message is data a person can read with `redis-cli XRANGE`, and nothing
read from Redis can run code in the archiver. A site's job is encoded here; a worker's writes
(dedupe/writes.py) encode themselves, and a message names its write by the kind the write
declares (pages and attachments: dedupe/codec.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, get_type_hints

from crawler.sitestate import SiteStart
from dedupe.codec import decode_attachment, decode_page, encode_attachment, encode_page
from dedupe.writes import KINDS, Write
from extract.container import from_json
from siteconfig.sites import SiteConfig

__all__ = ["SiteJob", "decode_attachment", "decode_job", "decode_page", "decode_write", "encode_attachment",
           "encode_job", "encode_page", "encode_write"]
_TUPLES = {f.name for f in fields(SiteConfig) if str(get_type_hints(SiteConfig)[f.name]).startswith("tuple")}


@dataclass
class SiteJob:
    """One site's crawl, as queued: its config (a worker needs no site files) and its start."""

    config: SiteConfig
    start: SiteStart
    full: bool = False
    archive: str = ""  # the id of the archive it was queued from (archive/identity.py) ...
    archive_path: str = ""  # ... and where that archive is, for the archiver's error message


def encode_job(job: SiteJob) -> str:
    start = asdict(job.start)
    start.pop("known")  # in Redis beside the job (it can be large, and the archiver adds to it) ...
    start.pop("known_attachments")  # ... as are the archived attachment URLs
    return json.dumps({"config": asdict(job.config), "start": start, "full": job.full,
                       "archive": {"id": job.archive, "path": job.archive_path}}, ensure_ascii=False)


def decode_job(text: str, known: set[str], known_attachments: set[str] | None = None) -> SiteJob:
    """The job a worker took, with the sets Redis keeps beside it."""
    data = json.loads(text)
    values: dict[str, Any] = {k: tuple(v) if k in _TUPLES else v for k, v in data["config"].items()}
    config = SiteConfig(**values)
    start, archive = data["start"], data.get("archive") or {}
    return SiteJob(config=config, full=bool(data["full"]), archive=archive.get("id", ""),
                   archive_path=archive.get("path", ""), start=SiteStart(
        run_id=int(start["run_id"]), known=known, last_run=start["last_run"],
        boilerplate=tuple(start["boilerplate"]), stop_early=bool(start["stop_early"]),
        resume=[(url, kind) for url, kind in start["resume"]], known_attachments=known_attachments or set(),
        linked={url: (page, text) for url, (page, text) in (start.get("linked") or {}).items()},
        container=from_json(start.get("container"))))


def encode_write(write: Write) -> dict[str, str]:
    """A write the crawl queued for the archive (dedupe/writes.py) as a message: its declared kind as
    the message's type, and the fields it encodes itself; anything else has no business crossing to
    the archiver."""
    if not isinstance(write, Write) or KINDS.get(write.kind) is not type(write):
        raise TypeError(f"{write!r} cannot be sent to the archiver")
    return {"type": write.kind, **write.encode()}


def decode_write(message: Mapping[str, str]) -> Write:
    """The write a message carries, by its type; KeyError for a type no write declares, ValueError
    (or TypeError, KeyError, zlib.error) for fields that cannot be read."""
    return KINDS[message.get("type", "")].decode(message)
