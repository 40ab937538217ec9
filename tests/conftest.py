"""Shared fixtures: the sample web on 127.0.0.1 and a `kexie` runner in a subprocess.

Crawls run in a subprocess because Twisted's reactor starts once per process.
"""

from __future__ import annotations

import atexit
import csv
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.sampleweb.server import SITES_ROOT, SampleWeb

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


# commands that only read the archive (or build its index) run inside the test process: no new
# interpreter, Scrapy and trafilatura to import for each call; crawls and anything that forks
# extraction workers or serves run as a real `kexie` process
IN_PROCESS = frozenset({"search", "sql", "export", "duplicates", "report", "health", "sites", "index"})


def kexie(*args: str, db: Path | None = None, check: bool = True, timeout: int = 300,
          fresh_process: bool = False) -> subprocess.CompletedProcess[str]:
    """Run `kexie ARGS` from a folder outside the checkout; in-process for the IN_PROCESS commands
    unless `fresh_process` (exit codes, stdout and stderr are the same either way)."""
    if args and args[0] in IN_PROCESS and not fresh_process:
        result = _in_process(args, db)
    else:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if db is not None:
            env["KEXIE_DB"] = str(db)
        result = subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, env=env,
                                timeout=timeout, cwd=ELSEWHERE)
    if check and result.returncode != 0:
        raise AssertionError(f"kexie {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def _in_process(args: tuple[str, ...], db: Path | None) -> subprocess.CompletedProcess[str]:
    from click.testing import CliRunner

    from cli.main import main

    here = os.getcwd()
    os.chdir(ELSEWHERE)
    try:
        run = CliRunner().invoke(main, list(args), env={"KEXIE_DB": str(db)} if db is not None else {},
                                 prog_name="kexie")
    finally:
        os.chdir(here)
    if run.exception is not None and not isinstance(run.exception, SystemExit):
        raise run.exception
    return subprocess.CompletedProcess(["kexie", *args], run.exit_code, run.stdout, run.stderr)


@pytest.fixture(scope="session")
def sample_web() -> Iterator[SampleWeb]:
    web = SampleWeb(port_base=free_port_base()).start()
    yield web
    web.stop()


def crawl_sample(web: SampleWeb, db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`kexie crawl --all` over the sample sites, pointed at the local server by --base-url."""
    moved = [arg for key, url in web.base_urls.items() for arg in ("--base-url", f"{key}={url}")]
    return kexie("crawl", "--all", "--sites-dir", str(SAMPLE_SITES), *moved, *LOCAL, *extra, db=db)


_CRAWLED: dict[str, Path] = {}


def sample_archive(web: SampleWeb, factory: pytest.TempPathFactory, name: str = "archive.db") -> Path:
    """A copy of the sample web crawled once per test session (with its search index): tests that
    need a crawled archive share one crawl and may change their copy."""
    if "db" not in _CRAWLED:
        db = factory.mktemp("crawled") / "archive.db"
        crawl_sample(web, db)
        kexie("index", db=db)
        _CRAWLED["db"] = db
    copy = factory.mktemp("archive") / name
    shutil.copy(_CRAWLED["db"], copy)
    return copy


def corpus_rows() -> Iterator[tuple[Path, dict[str, str]]]:
    """(folder, MANIFEST.tsv row) of every page in ../shared/corpus; skips the test when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip("corpus not available")
    for manifest in sorted(CORPUS.glob("*/MANIFEST.tsv")):
        with manifest.open(encoding="utf-8") as rows:
            for row in csv.DictReader(rows, delimiter="\t"):
                yield manifest.parent, row


SITE = "nyrb"  # the site the scheduled-crawl tests copy and grow


@pytest.fixture
def site_copy(tmp_path: Path) -> Iterator[tuple[SampleWeb, Path, Path]]:
    """nyrb copied to tmp (pages and config, due every time), served on its own port."""
    web_root, sites = tmp_path / "web", tmp_path / "sites"
    shutil.copytree(SITES_ROOT / SITE, web_root / SITE)
    sites.mkdir()
    config = (SAMPLE_SITES / f"{SITE}.toml").read_text("utf-8")
    config = re.sub(r"interval_hours = [\d.]+", "interval_hours = 0", config)
    (sites / f"{SITE}.toml").write_text(config, encoding="utf-8")
    web = SampleWeb(root=web_root).start()
    yield web, web_root / SITE, sites
    web.stop()


@pytest.fixture
def factory(tmp_path_factory: pytest.TempPathFactory) -> pytest.TempPathFactory:
    """The session's tmp_path_factory under a short name (sample_archive takes it)."""
    return tmp_path_factory


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A real redis-server of this test's own, on a free port (tests/redis_process.py)."""
    from tests.redis_process import redis_server

    with redis_server(tmp_path / "redis") as url:
        yield url
