"""`kexie duplicates` and the duplicate_clusters view on a real archive file."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from archive.db import Archive
from cli.duplicates import duplicates
from tests.dedupe_texts import ORIGINAL, PAPER_COPY, PORTAL_COPY, REPORT_JINGMEN, SITES, TRADITIONAL, page, put


def build(path: Path) -> None:
    archive = Archive(path)
    for key, (official, spam, name) in SITES.items():
        archive.upsert_site({"key": key, "name": name, "level": "city", "region": "", "official": official,
                             "spam": spam, "verified": 1, "base_url": "", "config_path": ""})
    put(archive, page("portal", "/1.html", PORTAL_COPY, published="2023-06-01"))
    put(archive, page("official", "/art_1_1.html", published="2023-05-30"))
    put(archive, page("hk", "/2.html", TRADITIONAL(ORIGINAL)))  # exact copy
    put(archive, page("paper", "/3.htm", PAPER_COPY))
    put(archive, page("casino", "/news/488.html", TRADITIONAL(PAPER_COPY), "2023-05-20", "新蒲京-澳门金沙"))
    put(archive, page("jingmen", "/x.html", REPORT_JINGMEN, "2024-01-05", "荆门市科协2023年工作总结"))
    archive.close()


def test_view_groups_every_place_under_the_original(tmp_path: Path) -> None:
    build(tmp_path / "a.db")
    archive = Archive(tmp_path / "a.db")
    rows = archive.db.execute("SELECT cluster_id, site, kind FROM duplicate_clusters ORDER BY site").fetchall()
    assert {r[1]: r[2] for r in rows} == {"official": "original", "hk": "exact", "portal": "near", "paper": "near",
                                          "casino": "exact"}  # the mirror copies the paper's text: exact
    assert len({r[0] for r in rows}) == 1
    assert archive.db.execute("SELECT site FROM articles WHERE id = ?", [rows[0][0]]).fetchone()[0] == "official"


def test_command_lists_clusters_as_text_and_json(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    build(db)
    assert isinstance(duplicates, click.Command)
    runner = CliRunner()
    text = runner.invoke(duplicates, ["--db", str(db)])
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert lines[0].startswith("[") and "5 places" in lines[0]
    assert lines[1].split()[:2] == ["original", "1.00"] and "official" in lines[1]
    assert "荆门" not in text.output
    out = runner.invoke(duplicates, ["--db", str(db), "--json", "--site", "casino"])
    assert out.exit_code == 0, out.output
    clusters = [json.loads(line) for line in out.output.splitlines()]
    assert len(clusters) == 1
    places = clusters[0]["places"]
    assert places[0]["kind"] == "original" and places[0]["official"] is True
    assert sorted(p["site"] for p in places) == ["casino", "hk", "official", "paper", "portal"]
    assert [p["spam"] for p in places if p["site"] == "casino"] == [False]  # flag as configured, name aside
    assert runner.invoke(duplicates, ["--db", str(db), "--site", "jingmen"]).output == ""


def test_missing_archive_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(duplicates, ["--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "no archive" in result.output
