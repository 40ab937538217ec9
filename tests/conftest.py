"""Shared fixtures: the sample web on 127.0.0.1 and a `kexie` runner in a subprocess.

Crawls run in a subprocess because Twisted's reactor starts once per process.
"""

from __future__ import annotations

import atexit
import csv
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.sampleweb.server import SampleWeb

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SITES = ROOT / "config" / "sample-sites"
CORPUS = ROOT.parent / "shared" / "corpus"  # read in place, never copied into the repo
LOCAL = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]


def free_port_base(count: int = 12) -> int:
    """A run of `count` free ports, so the sample sites keep fixed addresses across crawls."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base + count > 65000:
            continue
        try:
            socks = []
            for port in range(base, base + count):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no run of free ports")


# The CLI runs from a folder that is not the project (as from cron or systemd): nothing may depend
# on finding scrapy.cfg or config/ in the working directory.
ELSEWHERE = Path(tempfile.mkdtemp(prefix="kexie-cwd-"))
atexit.register(shutil.rmtree, ELSEWHERE, True)


def kexie(*args: str, db: Path | None = None, check: bool = True,
          timeout: int = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if db is not None:
        env["KEXIE_DB"] = str(db)
    result = subprocess.run([sys.executable, "-m", "crawler", *args], capture_output=True, text=True, env=env,
                            timeout=timeout, cwd=ELSEWHERE)
    if check and result.returncode != 0:
        raise AssertionError(f"kexie {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def sample_web() -> Iterator[SampleWeb]:
    web = SampleWeb(port_base=free_port_base()).start()
    yield web
    web.stop()


def crawl_sample(web: SampleWeb, db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`kexie crawl --all` over the sample sites, pointed at the local server by --base-url."""
    moved = [arg for key, url in web.base_urls.items() for arg in ("--base-url", f"{key}={url}")]
    return kexie("crawl", "--all", "--sites-dir", str(SAMPLE_SITES), *moved, *LOCAL, *extra, db=db)


def corpus_rows() -> Iterator[tuple[Path, dict[str, str]]]:
    """(folder, MANIFEST.tsv row) of every page in ../shared/corpus; skips the test when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip("corpus not available")
    for manifest in sorted(CORPUS.glob("*/MANIFEST.tsv")):
        with manifest.open(encoding="utf-8") as rows:
            for row in csv.DictReader(rows, delimiter="\t"):
                yield manifest.parent, row
