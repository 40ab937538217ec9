"""`kexie report`: a self-contained page whose chart holds the archive's counts, rendered by headless Chromium."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from archive.db import Archive
from archive.queries import connect_read_only
from archive.report import PALETTE, render
from archive.search import ensure_search_index
from tools.sampleweb.server import SampleWeb

from .conftest import kexie, sample_archive
from .pngread import png_pixels

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if p and Path(p).exists()), None)
NO_CHROMIUM = ("Debian's chromium is not installed: `make test` installs it (apt-get, needs root and the Debian"
               " archive); this machine could not, so the page is checked without a browser")
BAR = re.compile(r'<rect class="bar" data-site="([^"]+)" data-month="(\d{4}-\d\d)" data-count="(\d+)"')


@pytest.fixture(scope="module")
def report(sample_web: SampleWeb, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    db = sample_archive(sample_web, tmp_path_factory)
    page = db.with_name("report.html")
    assert f"report: {page}" in kexie("report", "-o", str(page), db=db).stdout
    return db, page


def test_chart_holds_the_counts_and_the_page_needs_no_network(report: tuple[Path, Path]) -> None:
    db, page = report
    html = page.read_text("utf-8")
    want = {(site, month): n for site, month, n in sqlite3.connect(db).execute(
        "SELECT site, substr(published_at, 1, 7), count(*) FROM articles"
        " WHERE id NOT IN (SELECT article_id FROM near_duplicates) GROUP BY 1, 2")}
    assert {(s, m): int(n) for s, m, n in BAR.findall(html)} == want and len(want) > 5
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import", html)
    assert re.findall(r"https?://[^\s\"'<]+", html) == ["http://www.w3.org/2000/svg"]  # a namespace, never fetched
    sites = [r[0] for r in sqlite3.connect(db).execute("SELECT key FROM sites ORDER BY key")]
    table = html[html.index('<table id="health">'):]
    rows = re.findall(r'<tr class="\w+">(.*?)</tr>', table)
    assert [re.findall(r"<td[^>]*>(.*?)</td>", row)[0] for row in rows] == sites


def test_an_empty_archive_still_renders(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "empty.db")
    ensure_search_index(archive.db)
    archive.close()
    html = render(connect_read_only(tmp_path / "empty.db"))
    assert "No dated articles yet." in html and '<table id="health">' in html


@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
def test_headless_chromium_draws_the_chart(report: tuple[Path, Path], tmp_path: Path) -> None:
    _, page = report
    browser = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1100,900"]
    dom = subprocess.run([*browser, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert '<svg id="chart"' in dom and len(BAR.findall(dom)) == len(BAR.findall(page.read_text("utf-8")))
    shot = tmp_path / "report.png"
    subprocess.run([*browser, f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120)
    width, height, bpp, pixels = png_pixels(shot.read_bytes())
    painted = {colour: 0 for colour in PALETTE}
    wanted = {bytes.fromhex(c[1:]): c for c in PALETTE}
    for at in range(0, len(pixels), bpp):
        colour = wanted.get(pixels[at:at + 3])
        if colour:
            painted[colour] += 1
    sites = len({s for s, _, _ in BAR.findall(page.read_text("utf-8"))})
    assert (width, height) == (1100, 900)
    assert sum(n > 40 for n in painted.values()) >= min(sites, len(PALETTE)), painted  # every site's bars show


@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
@pytest.mark.parametrize("window", [900, 1100])
def test_the_health_table_fits_the_page(report: tuple[Path, Path], tmp_path: Path, window: int) -> None:
    """The page is read in a browser window (a laptop's, a tablet's): the health table stays inside it,
    no column cut off at the right. The browser measures it: a copy of the page writes the widths."""
    _, page = report
    measured = tmp_path / "measured.html"
    probe = ("<script>addEventListener('load', () => { const t = document.getElementById('health');"
             " document.body.insertAdjacentHTML('beforeend', `<pre id=\"widths\">${Math.ceil(t.getBoundingClientRect()"
             ".right)} ${document.documentElement.clientWidth} ${document.documentElement.scrollWidth}</pre>`); });"
             "</script></body>")
    measured.write_text(page.read_text("utf-8").replace("</body>", probe), "utf-8")
    browser = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={window},900", "--hide-scrollbars"]
    dom = subprocess.run([*browser, "--dump-dom", measured.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    found = re.search(r'<pre id="widths">(\d+) (\d+) (\d+)</pre>', dom)
    assert found, dom[-2000:]
    right, client, scroll = map(int, found.groups())
    assert right <= client and scroll <= client, (right, client, scroll)
