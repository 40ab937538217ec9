"""The sample web server's command line: --help says what it does and exits, options are checked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def serve(*args: str) -> subprocess.CompletedProcess[str]:
    # a server that ignored its arguments would serve until killed: the timeout is the failure then
    try:
        return subprocess.run([sys.executable, "-m", "tools.sampleweb.server", *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"the server ignored {args} and kept serving") from exc


def test_help_describes_the_options_and_exits() -> None:
    done = serve("--help")
    assert done.returncode == 0
    assert done.stdout.startswith("usage:") and "--port-base" in done.stdout and "--host" in done.stdout
    assert "127.0.0.1" not in done.stderr  # nothing was served


def test_a_bad_option_is_an_error() -> None:
    done = serve("--port-base", "seventy")
    assert done.returncode == 2 and "error:" in done.stderr and "--port-base" in done.stderr
