"""The view of one generated site that the --check functions share."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import lxml.html

from .common import CONFIG_DIR, Out

BASE = "http://127.0.0.1:8000"  # any origin will do: only site-relative links count
AGENT = "kexie-archive"
REQUIRED = ("name", "level", "region", "official", "base_url", "start_urls", "article_pattern")


@dataclass
class SiteView:
    """One site as the checks see it: its served files, its crawler config, its expected.json."""

    key: str
    cfg: dict[str, Any]
    files: dict[str, bytes]  # URL path -> bytes, including the server's own _site.toml
    exp: dict[str, list[dict[str, Any]]]
    art_re: re.Pattern[str] = field(init=False)
    pag_re: re.Pattern[str] = field(init=False)
    robots: RobotFileParser = field(init=False)
    problems: list[str] = field(default_factory=list)  # found while loading
    kinds: dict[str, str] = field(default_factory=dict)  # path -> expected.json section

    def __post_init__(self) -> None:
        self.art_re = re.compile(self.cfg["article_pattern"])
        self.pag_re = re.compile(self.cfg.get("pagination_pattern") or r"(?!)")
        self.robots = RobotFileParser()
        self.robots.parse(self.files["/robots.txt"].decode().splitlines())
        assert tomllib.loads(self.files["/_site.toml"].decode())["header_charset"] == "utf-8"
        for k in ("articles", "rejects", "duplicates", "not_fetched"):
            for x in self.exp[k]:
                if x["path"] in self.kinds:
                    self.problems.append(f"{self.key}: {x['path']} listed twice in expected.json")
                self.kinds[x["path"]] = k

    @property
    def served(self) -> set[str]:
        """Paths the server answers (files starting with "_" are its own)."""
        return {p for p in self.files if not p.rsplit("/", 1)[1].startswith("_")}

    @property
    def enc(self) -> str:
        return "gb18030" if self.key == "xyast" else "utf-8"

    @property
    def missing(self) -> set[str]:
        return {x["path"] for x in self.exp["missing"]}

    @property
    def not_fetched(self) -> set[str]:
        return {x["path"] for x in self.exp["not_fetched"]}

    def text(self, path: str) -> str:
        return self.files[path].decode(self.enc)

    def allowed(self, path: str) -> bool:
        """Whether robots.txt lets the archive's crawler fetch path."""
        return self.robots.can_fetch(AGENT, BASE + path)

    def links(self, path: str) -> list[str]:
        """Same-site links (<a>, <area>) of the page at path, as root-relative paths."""
        doc = lxml.html.fromstring(self.text(path))
        out = []
        for el in doc.iter("a", "area"):
            h = el.get("href")
            if not h or h.startswith(("javascript:", "#", "mailto:")):
                continue
            sp = urlsplit(urljoin(BASE + path, h))
            if f"{sp.scheme}://{sp.netloc}" != BASE:
                continue
            out.append(sp.path + (f"?{sp.query}" if sp.query else ""))
        from crawler.platforms.trs import page_urls  # a TRS pager is a script the spider reads too

        return out + [urlsplit(u).path for u in page_urls(self.text(path), BASE + path)]


def load_site(key: str, out: Out, exp: dict[str, list[dict[str, Any]]]) -> SiteView:
    """The SiteView of key; config keys it lacks are reported among its problems."""
    cfg = tomllib.loads((CONFIG_DIR / f"{key}.toml").read_text("utf-8"))
    lacks = [f"{key}: config lacks {req}" for req in REQUIRED if req not in cfg]
    prefix = f"sites/{key}"
    files = {rel[len(prefix) :]: data for rel, data in out.files.items() if rel.startswith(prefix + "/")}
    site = SiteView(key, cfg, files, exp)
    site.problems[:0] = lacks
    return site
