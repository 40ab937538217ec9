"""Run all the site builders and write expected.json; write the result to disk."""

from __future__ import annotations

import json

from .cdkx import build_cdkx, cd_articles
from .common import SAMPLEWEB_DIR, SITES_DIR, Art, Out
from .esast import build_esast, es_articles
from .expected import build_expected
from .hfkx import build_antibot, build_hfkx, build_rsart, hf_articles
from .nyrb import build_nyrb, ny_articles
from .platforms import build_hzkx, build_jnast, build_lnast, hz_articles, jn_articles, ln_articles
from .sxkjb import build_sxkjb, sx_articles
from .xpjmirror import build_xpj, xpj_articles
from .xyast import build_xyast, xy_articles
from .ylkx import build_ylkx, yl_articles


def all_articles() -> dict[str, list[Art]]:
    """Every site's articles by site key (the mirror copies from esast and nyrb)."""
    es, ny = es_articles(), ny_articles()
    return {
        "sxkjb": sx_articles(),
        "nyrb": ny,
        "esast": es,
        "xpjmirror": xpj_articles(es, ny),
        "cdkx": cd_articles(),
        "xyast": xy_articles(),
        "ylkx": yl_articles(),
        "jnast": jn_articles(),  # the platform replicas (platforms.py)
        "lnast": ln_articles(),
        "hzkx": hz_articles(),
    }


def generate() -> Out:
    """Every fixture file in memory: the sites, then expected.json read off their pages."""
    out = Out()
    sites = all_articles()
    build_sxkjb(out, sites["sxkjb"])
    build_nyrb(out, sites["nyrb"])
    build_esast(out, sites["esast"])
    build_xpj(out, sites["xpjmirror"])
    build_cdkx(out, sites["cdkx"])
    build_xyast(out, sites["xyast"])
    build_ylkx(out, sites["ylkx"])
    build_hfkx(out, hf_articles())  # the platform web (tools/sampleweb/platforms/): tests, not the demo
    build_antibot(out)
    build_rsart(out)
    build_jnast(out, sites["jnast"])
    build_lnast(out, sites["lnast"])
    build_hzkx(out, sites["hzkx"])
    out.put("expected.json", json.dumps(build_expected(sites, out), ensure_ascii=False, indent=2) + "\n")
    return out


def write(out: Out) -> None:
    """Write changed files only; sites/ is entirely generated, so stray files there go."""
    if SITES_DIR.exists():
        for p in sorted(SITES_DIR.rglob("*"), reverse=True):
            rel = p.relative_to(SAMPLEWEB_DIR).as_posix()
            if p.is_file() and rel not in out.files:
                p.unlink()
            elif p.is_dir() and not any(p.iterdir()):
                p.rmdir()
    for rel, data in sorted(out.files.items()):
        p = SAMPLEWEB_DIR / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if not p.exists() or p.read_bytes() != data:
            p.write_bytes(data)
