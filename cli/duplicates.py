"""`kexie duplicates`: every text seen at more than one place, with each URL and site that carried it.

Reads the `duplicate_clusters` view (schema v3) over a read-only connection, so it can run
while a crawl writes. Registered on the main group by cli/main.py.
"""

from __future__ import annotations

import json
import sqlite3

import click

from archive.duplicates import clusters
from archive.queries import ArchiveMissing
from cli.common import DB_OPTION, check_filters, existing_archive, fail, read_archive


@click.command(name="duplicates")
@click.option("--site", default=None, help="Only clusters with a copy (or the original) on this site.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(0, 10**9),
              help="At most this many clusters (0: all).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per cluster (JSON lines).")
@DB_OPTION
def duplicates(site: str | None, limit: int, as_json: bool, db: str | None) -> None:
    """List texts that appeared at more than one place: the original first, then every copy.

    A copy is `exact` (the same text once script, spacing and punctuation are set aside; not
    stored again) or `near` (mostly the same text, e.g. other chrome, bylines or a cut paragraph;
    stored as its own article). Each line: kind, Jaccard similarity to the original, the
    stored article carrying the text (#id; an exact copy shares its article's), date, site, URL.

    \b
    Examples:
      kexie duplicates
      kexie duplicates --site xpjmirror --json
    """
    path = existing_archive(db)
    if site:
        with read_archive(db) as conn:
            check_filters(conn, (site,))
    try:
        found = clusters(path, site, limit)
    except ArchiveMissing as exc:
        fail(str(exc))
    except sqlite3.OperationalError as exc:  # an archive from before schema v3 has no cluster view
        if "no such" not in str(exc):
            raise  # a damaged or unreadable file: the group says so
        fail(f"{exc} (open the archive with a crawl first to migrate it)")
    for cluster in found:
        if as_json:
            click.echo(json.dumps(cluster, ensure_ascii=False))
            continue
        click.echo(f"[{cluster['cluster_id']}] {cluster['title']}  ({cluster['published_at'] or '?'},"
                   f" {len(cluster['places'])} places)")
        for p in cluster["places"]:
            flag = "  [spam]" if p["spam"] else "  [official]" if p["official"] else ""
            click.echo(f"    {p['kind']:8} {p['similarity']:.2f} #{p['article_id']:<7} {p['published_at'] or '?':25}"
                       f" {p['site']:12} {p['url']}{flag}")
