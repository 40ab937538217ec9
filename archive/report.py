"""`kexie report`: one self-contained HTML page, a chart of articles per site per month and crawl health.

Inline SVG and CSS only, no script and no CDN, so the page opens from a mail attachment or an
offline laptop and prints as it shows. Bars carry data-* attributes and <title> tooltips, so the
numbers can be read back from the page (the test does, in headless Chromium).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from html import escape
from typing import Any

from archive.queries import ARTICLES_PER_SITE_MONTH, CRAWL_HEALTH

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac", "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#17becf")
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 960, 360, 48, 48, 12
# short labels, and only dates, names and numbers in cells, so the table fits a laptop screen and the page
HEALTH_COLUMNS = (("site", "site"), ("name", "name"), ("level", "level"), ("articles", "articles"),
                  ("latest_article", "latest article"), ("runs", "runs"), ("last_run", "last run (UTC)"),
                  ("last_finish", "ended"), ("last_fetched", "fetched"), ("last_stored", "stored"),
                  ("last_duplicates", "dupes"), ("last_rejected", "rejected"), ("last_errors", "errors"),
                  ("rejects", "all rejects"))
STYLE = """body{font:14px/1.5 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em auto;
padding:0 1em;max-width:70em;color:#222}
h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.15em;margin:1.6em 0 .4em}.meta{color:#666}
svg{max-width:100%;height:auto}.axis{font-size:11px;fill:#555}.grid{stroke:#e5e5e5}
.legend{display:flex;flex-wrap:wrap;gap:.3em 1.2em;margin:.4em 0;padding:0;list-style:none}
.legend i{display:inline-block;width:.9em;height:.9em;margin-right:.35em;vertical-align:-.1em}
table{border-collapse:collapse;font-size:13px;width:100%}
th,td{padding:.25em .35em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{font-weight:600;line-height:1.2}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.d{white-space:nowrap}td small{color:#666}tr.warn td{background:#fff3e0}
@media print{body{margin:0;padding:0;max-width:none}table{font-size:10px}}"""


def months_between(first: str, last: str) -> list[str]:
    """Every YYYY-MM from first to last, so empty months show as gaps rather than vanish."""
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _ticks(top: int) -> list[int]:
    step = max(1, top // 4)
    magnitude = 10 ** (len(str(step)) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= step)
    return list(range(0, top + step, step))


def chart(rows: list[dict[str, Any]]) -> str:
    """Stacked bars: one bar per month, one colour per site."""
    rows = [r for r in rows if r["month"] and len(r["month"]) == 7]
    if not rows:
        return '<p id="chart-empty">No dated articles yet.</p>'
    sites = sorted({r["site"] for r in rows})
    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sites)}
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        counts[r["month"]][r["site"]] = r["articles"]
    months = months_between(min(counts), max(counts))
    ticks = _ticks(max(sum(c.values()) for c in counts.values()))
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(months)
    scale = plot_h / ticks[-1]
    parts = [f'<svg id="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}"'
             f' height="{HEIGHT}" role="img" aria-label="articles per site per month">']
    for t in ticks:
        y = TOP + plot_h - t * scale
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{t}</text>')
    every = max(1, round(len(months) / 12))
    for i, month in enumerate(months):
        x, y = LEFT + i * slot, TOP + plot_h
        if i % every == 0:
            parts.append(f'<text class="axis" x="{x + slot / 2:.1f}" y="{y + 16}" text-anchor="middle">{month}</text>')
        for site in sites:
            n = counts[month].get(site, 0)
            if n:
                h = n * scale
                y -= h
                width = max(slot * 0.8, 0.5)
                parts.append(f'<rect class="bar" data-site="{escape(site)}" data-month="{month}" data-count="{n}"'
                             f' x="{x + slot * 0.1:.1f}" y="{y:.1f}" width="{width:.1f}" height="{h:.1f}"'
                             f' fill="{colour[site]}"><title>{escape(site)} {month}: {n}</title></rect>')
    parts.append("</svg>")
    names = {r["site"]: r["site_name"] for r in rows}
    legend = "".join(f'<li><i style="background:{colour[s]}"></i>{escape(names[s] or s)} ({escape(s)})</li>'
                     for s in sites)
    return "".join(parts) + f'<ul class="legend">{legend}</ul>'


def _cell(key: str, row: dict[str, Any]) -> str:
    value = row[key]
    if isinstance(value, int | float):
        return f'<td class="n">{round(value, 1) if isinstance(value, float) else value}</td>'
    text = str(value or "")
    if key == "latest_article":
        return f'<td class="d">{escape(text[:10])}</td>'
    if key == "last_run":  # the date and the time may go on two lines
        return f"<td>{escape(text[:10])} {escape(text[11:16])}</td>"
    if key == "last_finish" and row.get("last_duration_s") is not None:
        return f"<td>{escape(text)} <small>{round(row['last_duration_s'], 1)} s</small></td>"
    return f"<td>{escape(text)}</td>"


def health_table(rows: list[dict[str, Any]]) -> str:
    """One row per site; a run that ended badly or with errors is tinted."""
    numbers = {"articles", "runs", "rejects"} | {key for key, _ in HEALTH_COLUMNS if key.startswith("last_")} \
        - {"last_run", "last_finish"}
    head = "".join(f'<th{" class=n" if key in numbers else ""}>{escape(label)}</th>' for key, label in HEALTH_COLUMNS)
    body = []
    for r in rows:
        warn = bool(r["last_errors"]) or (r["last_finish"] not in (None, "finished"))
        cells = "".join(_cell(key, r) for key, _ in HEALTH_COLUMNS)
        body.append(f'<tr class="{"warn" if warn else "ok"}">{cells}</tr>')
    return f'<table id="health"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def render(conn: sqlite3.Connection, title: str = "科协 news archive") -> str:
    """The whole page for the archive behind a (read-only) connection."""
    conn.row_factory = sqlite3.Row
    per_month = [dict(r) for r in conn.execute(ARTICLES_PER_SITE_MONTH)]
    health = [dict(r) for r in conn.execute(CRAWL_HEALTH)]
    articles, near, copies, rejects, first, last = conn.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM near_duplicates),"
        " (SELECT count(*) FROM article_urls WHERE kind != 'original'), (SELECT count(*) FROM rejects),"
        " (SELECT min(published_at) FROM articles), (SELECT max(published_at) FROM articles)").fetchone()
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    span = f", published {escape(str(first)[:10])} to {escape(str(last)[:10])}" if first else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{escape(title)}</title><style>{STYLE}</style></head><body>
<h1>{escape(title)}</h1>
<p class="meta">{articles} articles ({near} near copies), {copies} exact copies elsewhere, {rejects} pages kept
aside{span}. Generated {stamp}.</p>
<h2>Articles per site per month</h2>
<p class="meta">Near copies are left out, so each text counts once, at its original.</p>
{chart(per_month)}
<h2>Crawl health per site (last run)</h2>
{health_table(health)}
</body></html>
"""
