"""An article page's attachments (附件: PDF, Word, Excel, WPS, archives): found on the page, fetched
politely (the same site, so the same download slot), within KEXIE_ATTACHMENT_MAXSIZE.

A file larger than the limit is cancelled by Scrapy's own per-request `download_maxsize` (the
Content-Length, or the bytes as they stream in), never held whole in memory, and kept aside as a
reject with its size. An attachment URL already archived is not fetched again (unless --full; a
distributed worker knows them from its job), but every page linking it is still recorded. Links
whose text only announces a file (附件, 下载) are kept if their response is a file, not an HTML page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from twisted.python.failure import Failure

from archive.attachments import known_attachment, linked_as
from crawler.failures import describe as describe_failure
from crawler.siteruns import SiteRun
from crawler.spiders.links import SiteRequests
from crawler.work import META, answers, carry
from dedupe.writes import AttachmentLink, AttachmentReject
from extract.attachment import Attachment, describe, is_attachment_link
from extract.decode import decode_body
from extract.fingerprint import canonical_url
from pipelines.shared import archive_for

_FILES = LinkExtractor(deny_extensions=[], unique=True)  # Scrapy's default ignores .pdf, .doc, .zip …
def _encodes(word: str, codec: str) -> bool:
    try:
        word.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


_SIZE = re.compile(r"(\d+) bytes")
# a cheap look at the bytes first: most article pages link no file, and need no second decoding
_MAYBE = re.compile(b"|".join([rb"(?i)\.(?:pdf|docx?|xlsx?|wps|et|zip|rar|ofd)\b",
                               *(re.escape(word.encode(codec)) for word in ("附件", "下载", "附表", "下載")
                                 for codec in ("utf-8", "gb18030", "big5") if _encodes(word, codec))]))


def _read_right(response: TextResponse, override: str) -> TextResponse:
    """The page read in the codec the extractors use (extract/decode.py): the HTTP header's charset
    often lies, and link texts (附件1：申报指南.pdf) in the wrong codec would be mojibake."""
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
    codec = decode_body(response.body, content_type, override or None).codec
    return response if codec == response.encoding else response.replace(encoding=codec)


class AttachmentRequests(SiteRequests):
    """The attachment side of the site spider (crawler/spiders/site.py)."""

    def attachments_enabled(self) -> bool:
        """On by default (on a distributed worker too: its job says what is known); off with
        -s KEXIE_ATTACHMENTS=0."""
        return self.crawler.settings.getbool("KEXIE_ATTACHMENTS", True)

    def attachment_requests(self, run: SiteRun, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse) or not self.attachments_enabled() or not _MAYBE.search(response.body):
            return
        response = _read_right(response, run.config.encoding)
        page = canonical_url(response.url)
        known_cache: dict[str, bool] = {}
        for link in _FILES.extract_links(response):
            url, text = link.url, link.text.strip()
            kind = is_attachment_link(url, text)
            config = run.config
            if kind is False or not config.holds(url) or url == response.url:
                continue
            if kind is None and (config.is_article(url) or config.is_list_page(url)):
                continue  # a 下载 link to a page of the site's own
            target = canonical_url(url)
            if run.run_id is not None:
                self.writer.add(AttachmentLink(page, target, run.key, text))
            if target not in known_cache:
                known_cache[target] = not self.full and self._attachment_known(run, target)
            if known_cache[target]:
                self.crawler.stats.inc_value("kexie/attachments/skipped_known")
                continue
            yield self.attachment_request(run, url, text, response.url, announced=kind is None)

    def attachment_request(self, run: SiteRun, url: str, text: str = "", page: str = "", announced: bool = False,
                           from_frontier: bool = False) -> scrapy.Request:
        """A file's request, noted in the frontier until it is stored (or refused for good), so a crawl
        that dies first, or a file that fails for a while (5xx, timeouts), is asked for by the next
        crawl even though its article is known by then."""
        if not from_frontier:
            self.note(run, "visiting", url=url, kind="attachment")
        elif run.known_attachments is not None:  # a worker: its job carries how the file was linked
            page, text = run.linked.get(url, ("", ""))
        else:
            page, text = linked_as(archive_for(self.crawler).db.conn, canonical_url(url))
        return scrapy.Request(url, callback=self.parse_attachment, errback=self.attachment_failed,
                              meta={"dont_cache": True, "kexie_site": run.key, "kexie_kind": "attachment",
                                    "kexie_url": url, "kexie_link_text": text, "kexie_page": page,
                                    "kexie_announced": announced, "download_warnsize": 0,
                                    "download_maxsize": self._maxsize(), META: self.runs.hold(run)})

    def _maxsize(self) -> int:
        return self.crawler.settings.getint("KEXIE_ATTACHMENT_MAXSIZE", 32 * 1024 * 1024)

    def _attachment_known(self, run: SiteRun, target: str) -> bool:
        if run.run_id is None:  # a page no run asked for (`scrapy parse`): no archive is opened to ask
            return False
        if run.known_attachments is not None:  # a worker: the archive's known URLs came with the job
            return target in run.known_attachments
        try:
            return known_attachment(archive_for(self.crawler).db.conn, target)
        except Exception as exc:  # noqa: BLE001 - an archive read failing here is only a refetch
            self.logger.warning("could not look up attachment %s: %s", target, exc)
            return False

    @answers
    def parse_attachment(self, response: Response) -> Iterator[Attachment]:
        run = self._run(response)
        if run is None:
            return
        meta = response.meta
        url = meta["kexie_url"]  # as the page linked it (a redirect may have moved it)
        item = describe(Attachment(
            url=url, body=response.body, site=run.key, canonical_url=canonical_url(url),
            page_url=meta.get("kexie_page", ""), link_text=meta.get("kexie_link_text", ""),
            headers=_headers(response),
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"), run_id=run.run_id))
        if item.mime == "text/html" or (meta.get("kexie_announced") and item.mime == "application/octet-stream"
                                        and isinstance(response, TextResponse)):
            self.logger.debug("%s: %s is a page, not an attachment", run.key, response.url)
            self.note(run, "visited", url=url)
            return
        yield carry(item, self.runs.hold(run))  # until the file is written

    @answers
    def attachment_failed(self, failure: Failure) -> None:
        """A file refused (larger than the limit) is kept aside with its size; other failures are one
        log line (the next crawl that reads its page asks again)."""
        request = failure.request  # type: ignore[attr-defined]
        run = self.runs.active.get(request.meta.get("kexie_site", ""))
        if run is None:
            return
        message = failure.getErrorMessage() or ""
        url = request.meta.get("kexie_url", request.url)
        failed = describe_failure(failure)
        too_large = "max size" in message or bool(failure.check(*_cancelled()))
        if failed.transient and not too_large:
            self.note(run, "failed", url=url, kind="attachment", reason=failed.reason)
        else:
            self.note(run, "visited", url=url)
        limit = request.meta.get("download_maxsize", self._maxsize())
        size = _SIZE.search(message)
        if too_large:
            detail = (f"{int(size.group(1)):,} bytes, over the attachment limit of {limit:,} bytes"
                      f" (KEXIE_ATTACHMENT_MAXSIZE)" if size else
                      f"more than the attachment limit of {limit:,} bytes (KEXIE_ATTACHMENT_MAXSIZE)")
            self.logger.warning("%s: attachment %s refused: %s", run.key, request.url, detail)
            self.crawler.stats.inc_value("kexie/attachments/too_large")
            if run.run_id is not None:
                self.writer.add(AttachmentReject(url, canonical_url(url), run.key, "attachment_too_large", detail,
                                                 run.run_id))
            return
        self.crawler.stats.inc_value("kexie/attachments/failed")
        self.logger.info("%s: attachment %s failed: %s%s", run.key, request.url, message or repr(failure.value),
                         " (asked again next crawl)" if failed.transient else "")


def _headers(response: Response) -> dict[str, str]:
    """The response headers as text: a Content-Disposition with a raw GBK file name (as many Chinese
    servers send it) is read as GB18030, where Scrapy's own decoding would raise."""
    found = {}
    for key, values in response.headers.items():
        raw = b",".join(values)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("gb18030", "replace")
        found[key.decode("latin-1")] = text
    return found


def _cancelled() -> tuple[type[BaseException], ...]:
    from scrapy.exceptions import DownloadCancelledError
    from twisted.internet.defer import CancelledError

    return (DownloadCancelledError, CancelledError)
