"""Helpers of the scheduled-crawl tests: a site's article pages, new ones added, `kexie crawl --due`,
and the processes a crawl left behind.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

from tests.conftest import LOCAL, SITE, kexie
from tools.sampleweb.server import SampleWeb

LIST = "/news/kj/index.html"  # the list page of SITE the new articles are added to


def article_paths(site_dir: Path) -> list[str]:
    return sorted("/" + str(p.relative_to(site_dir)) for p in site_dir.glob("news/kj/20*/*/*.html"))


def add_articles(site_dir: Path, n: int, empty: bool = False) -> list[str]:
    """Publish n new articles at the top of the first list page (empty=True: a broken template)."""
    template = (site_dir / article_paths(site_dir)[0].lstrip("/")).read_text("utf-8")
    new = []
    for i in range(n):
        path = f"/news/kj/2023/0301/99{i:02d}.html"
        if empty:
            page = re.sub(r"(<body[^>]*>).*(</body>)", r"\1<div id='app'></div>\2", template, flags=re.S)
        else:
            page = template.replace("</p>", f"新增第{i}篇报道的独有段落，编号{i}号，专门用于增量抓取测试。</p>")
        (site_dir / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / path.lstrip("/")).write_text(page, encoding="utf-8")
        new.append(path)
    index = site_dir / LIST.lstrip("/")
    links = "".join(f'<li><a href="{p}">新文章{i}</a></li>' for i, p in enumerate(new))
    index.write_text(re.sub(r"(<body[^>]*>)", r"\1<ul>" + links + "</ul>", index.read_text("utf-8"), count=1),
                     encoding="utf-8")
    return new


def crawl_due(web: SampleWeb, sites: Path, db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return kexie("crawl", "--due", "--sites-dir", str(sites), "--base-url", f"{SITE}={web.base_urls[SITE]}",
                 *LOCAL, *extra, db=db)


def survivors(marker: str, wait: float = 5.0) -> list[int]:
    """Processes whose environment holds `marker`, after giving the kernel `wait` s to reap them."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for environ in Path("/proc").glob("[0-9]*/environ"):
            try:
                if marker.encode() in environ.read_bytes().split(b"\0"):
                    found.append(int(environ.parent.name))
            except OSError:
                continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)

