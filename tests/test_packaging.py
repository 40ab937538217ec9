"""kexie as users install it: a wheel in an environment of its own, outside the checkout.

The slow test builds the wheel, installs it (dependencies from the package index) into a fresh
venv in a temporary folder and runs `kexie sites`, `kexie extract` and `kexie demo` there: the
rules, the site files and the sample web must come with the package (importlib.resources), not
from a checkout. The quick ones check that pyproject.toml declares every package the code
imports and every folder of code, and that its license metadata is an SPDX string.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sqlite3
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from .conftest import ROOT, free_port_base

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
SETUPTOOLS = PROJECT["tool"]["setuptools"]
# the folders of code, as `make lint` names them
PACKAGES = re.search(r"^PACKAGES := (.+)$", (ROOT / "Makefile").read_text("utf-8"), re.M)[1].split()  # type: ignore[index]
DEV_ONLY = ("tools/sampleweb/generate",)  # run from the checkout only (it needs the dev extra and bench/)
ARTICLE = """<html><head><meta charset="utf-8"><title>科普大篷车开进山区小学_某市科协</title></head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/news/">工作动态</a></div>
<h1>科普大篷车开进山区小学</h1><div class="info">发布时间：2024-09-12</div><div class="article">
<p>九月十二日，市科协科普大篷车来到山区小学，带来机器人、天文望远镜等二十多件展品，吸引了全校师生参观体验。</p>
<p>科技辅导员现场讲解了展品背后的科学原理，同学们亲手操作，在互动中感受科技的乐趣，纷纷表示收获很大。</p>
</div><div class="footer">版权所有：某市科学技术协会</div></body></html>"""


def _name(dist: str) -> str:
    return re.sub(r"[-_.]+", "-", dist).lower()


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_every_imported_package_is_declared() -> None:
    """A package imported but only pulled in by another dependency vanishes when that one drops it."""
    declared = {_name(re.split(r"[\s<>=!~;\[]", dep, maxsplit=1)[0]) for dep in PROJECT["project"]["dependencies"]}
    ours = set(PACKAGES)
    providers = metadata.packages_distributions()
    missing: dict[str, str] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.relative_to(ROOT).as_posix().startswith(DEV_ONLY):
                continue
            for module in _imports(path) - ours - set(sys.stdlib_module_names) - {"__future__"}:
                if not {_name(d) for d in providers.get(module, [module])} & declared:
                    missing.setdefault(module, path.relative_to(ROOT).as_posix())
    assert not missing, f"imported but not in [project] dependencies: {missing}"


def test_every_folder_of_code_is_packaged() -> None:
    """The package list is explicit (config/ installs as kexie_config): a new subpackage must join it."""
    folders = {p.parent.relative_to(ROOT).as_posix() for name in SETUPTOOLS["packages"] if name != "kexie_config"
               for p in (ROOT / name.split(".")[0]).rglob("__init__.py")}
    expected = {f for f in folders if not f.startswith(DEV_ONLY)}
    assert {p.replace(".", "/") for p in SETUPTOOLS["packages"] if p != "kexie_config"} == expected
    assert SETUPTOOLS["package-dir"] == {"kexie_config": "config"}


def test_license_is_an_spdx_string_with_its_file() -> None:
    assert PROJECT["project"]["license"] == "MIT"
    assert all((ROOT / name).is_file() for name in PROJECT["project"]["license-files"])


def run(command: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KEXIE_DB", "KEXIE_CONFIG_DIR")}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{command}: exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv outside the checkout with the built wheel installed; its bin/ folder."""
    root = tmp_path_factory.mktemp("installed")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(root / "wheels")], root)
    wheel = next((root / "wheels").glob("kexie_archive-*.whl"))
    run([sys.executable, "-m", "venv", "--without-pip", str(root / "venv")], root)
    # this environment's pip installs into the new one (--python): no pip to bootstrap there, and
    # the wheels it has already downloaded are reused from its cache
    run([sys.executable, "-m", "pip", "--python", str(root / "venv" / "bin" / "python"), "install", "-q",
         str(wheel)], root, timeout=1200)
    (root / "work").mkdir()
    return root / "venv" / "bin"


def test_the_installed_wheel_reads_its_own_files(installed: Path) -> None:
    work = installed.parent.parent / "work"
    sites = run([str(installed / "kexie"), "sites"], work).stdout
    for path in (ROOT / "config" / "sites").glob("*.toml"):
        assert re.search(rf"^{re.escape(path.stem)}\s", sites, re.M), sites

    (work / "page.html").write_text(ARTICLE, "utf-8")
    page = json.loads(run([str(installed / "kexie"), "extract", "page.html"], work).stdout)
    assert page["title"] == "科普大篷车开进山区小学" and page["published_at"] == "2024-09-12"
    assert "天文望远镜" in page["text"] and "版权所有" not in page["text"]

    # the installed site files are not the place for a user's own: a reinstall would lose them
    refused = subprocess.run([str(installed / "kexie"), "add-site", "http://127.0.0.1:9/news/", "--write"], cwd=work,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and refused.stderr.startswith("error: ") and "KEXIE_CONFIG_DIR" in refused.stderr

    where = run([str(installed / "python"), "-c", "import extract, kexie_config; print(extract.__file__);"
                 " print(kexie_config.__file__)"], work).stdout
    assert str(ROOT) not in where and "site-packages" in where  # the installed copy, not the checkout


def test_the_installed_demo_crawls_every_sample_site(installed: Path) -> None:
    work = installed.parent.parent / "work"
    db = work / "demo.db"
    done = run([str(installed / "kexie"), "demo", "--port-base", str(free_port_base()), "--db", str(db)], work)
    assert "Traceback" not in done.stderr
    conn = sqlite3.connect(db)
    try:
        per_site = dict(conn.execute("SELECT site, COUNT(*) FROM articles GROUP BY site").fetchall())
    finally:
        conn.close()
    assert set(per_site) == {p.stem for p in (ROOT / "config" / "sample-sites").glob("*.toml")}, per_site
    assert not (work / "data").exists()  # --db was given: nothing else written under the current folder
