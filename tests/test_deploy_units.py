"""The systemd units under deploy/systemd parse, and each runs a kexie command that exists, with
options it accepts (a renamed option must not break a scheduled crawl silently)."""

from __future__ import annotations

import configparser
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "deploy" / "systemd"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",), comment_prefixes=("#",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    parser.read_string((UNITS / name).read_text("utf-8"), source=name)
    return parser


def test_the_single_machine_crawl_has_a_service_and_a_timer() -> None:
    service, timer = unit("kexie-crawl.service"), unit("kexie-crawl.timer")
    assert service["Service"]["Type"] == "oneshot"
    assert timer["Timer"].get("Unit", "kexie-crawl.service") == "kexie-crawl.service"
    assert timer["Timer"]["OnUnitActiveSec"] and timer["Install"]["WantedBy"] == "timers.target"
    assert "kexie-crawl.service" in (ROOT / "README.md").read_text("utf-8")


@pytest.mark.parametrize("name", sorted(p.name for p in UNITS.glob("*.service")))
def test_exec_start_runs_an_existing_kexie_command(name: str) -> None:
    service = unit(name)["Service"]
    words = shlex.split(service["ExecStart"])
    assert Path(words[0]).name == "kexie", words
    args = words[1:]  # ${KEXIE_REDIS} and %H stay as they are: values, not options
    # the command with the unit's options, asked only for its help: click parses every option first
    # and fails (exit 2) on one the command does not have
    done = subprocess.run([sys.executable, "-m", "cli", *args, "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, f"{name}: {' '.join(args)}: {done.stderr}"
    assert done.stdout.startswith(f"Usage: python -m cli {args[0]}"), done.stdout[:200]
