"""`kexie` commands to try the crawler without setting anything up: demo and extract.

The demo's archive goes to data/demo.db under the current folder (as the default archive, data/archive.db),
never beside the installed package."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from cli.common import fail, open_archive
from cli.crawl import report
from siteconfig.sites import SAMPLE_SITES_DIR, load_sites

# The sample sites use the real sites' keys (their pages are copies of those sites' styles): in the
# real archive they would make the real sites look crawled (`--due`) and unhealthy (`health`).
DEMO_DB = "data/demo.db"


@click.command()
@click.option("--port-base", default=8601, show_default=True,
              help="Sample site i listens on port-base + i (fixed, so a second demo finds its articles known).")
@click.option("--db", default=DEMO_DB, show_default=True,
              help="Archive file: the demo's own, never the one in $KEXIE_DB, so sample pages stay out of it.")
def demo(port_base: int, db: str) -> None:
    """Serve the bundled sample sites on 127.0.0.1, crawl them all, print what was stored.

    \b
    Example:
      kexie demo --db /tmp/demo.db
    """
    from crawler.runner import LOCAL_POLITENESS, crawl_settings, run_crawl
    from tools.sampleweb.server import SampleWeb

    archive = open_archive(db)
    archive.close()
    try:
        web = SampleWeb(port_base=port_base).start()
    except OSError as exc:
        fail(f"cannot serve the sample web from port {port_base}: {exc} (try --port-base)")
    with web:
        configs = [config.with_base_url(web.base_urls[key]) for key, config in load_sites(SAMPLE_SITES_DIR).items()]
        result = run_crawl(configs, crawl_settings(str(archive.path), LOCAL_POLITENESS))
    report(archive.path, result, demo=True)
    show_attachments(archive.path)


def show_attachments(path: Path) -> None:
    """The notices' attachments the demo stored (issue 24): which article, which file, whether its text was read."""
    from archive.attachments import attachment_summary
    from archive.queries import connect_read_only

    conn = connect_read_only(str(path))
    try:
        total, rows = attachment_summary(conn)
    finally:
        conn.close()
    if not total:
        return
    click.echo(f"attachments: {total} files stored, text searchable (kexie search TEXT --attachments only)")
    for site, title, name, mime, size, status in rows:
        kind = next((label for end, label in _KINDS if mime.endswith(end)), mime)
        click.echo(f"  {site:10} {title[:24]:24}  {name}  ({kind}, {size:,} bytes, text {status})")


_KINDS = (("pdf", "PDF"), ("document", "DOCX"), ("sheet", "XLSX"), ("ms-excel", "XLS"), ("msword", "DOC"))


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--jsonl", is_flag=True, help="One JSON object per file (the default output).")
@click.option("--format", "form", type=click.Choice(["json", "text"]), default="json", show_default=True,
              help="json: one object per file; text: title, date and the plain text, for reading.")
@click.option("--url", default=None, help="The page's address (helps dates found in URLs); one file only.")
def extract(files: tuple[str, ...], jsonl: bool, form: str, url: str | None) -> None:
    """Extract title, text, date and bylines from saved HTML files ("-": standard input), offline.

    \b
    Example:
      kexie extract page.html --url http://www.xyast.example/xwdt/1.htm --jsonl
      curl -s http://www.xyast.example/xwdt/1.htm | kexie extract - --format text
    """
    from extract.process import process_html

    if files.count("-") > 1:
        fail("'-' (standard input) can be given once")
    for name in files:  # every file is checked before any output, so a typo loses no extraction half-done
        if name != "-" and not Path(name).is_file():
            fail(f"{name}: no such file" if not Path(name).exists() else f"{name}: not a file")
    for number, name in enumerate(files):
        body = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        result = process_html(body, url=url if len(files) == 1 else None)
        if form == "json":
            click.echo(json.dumps({"file": name, **result}, ensure_ascii=False))
            continue
        if number:
            click.echo()
        click.echo(as_text(name, result))


def as_text(name: str, result: dict[str, Any]) -> str:
    """One page for reading: its title, its date and its text, or why it was rejected."""
    head = [f"# {result['title'] or '(no title)'}", f"date: {result['published_at'] or 'unknown'}"]
    if name != "-":
        head.insert(1, f"file: {name}")
    if result["reject_reason"]:
        head.append(f"rejected: {result['reject_reason']} {result['reject_detail'] or ''}".rstrip())
    return "\n".join(head) + "\n\n" + (result["text"] or "")
