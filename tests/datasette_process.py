"""A real Datasette (`kexie serve` or plain `datasette`) on a free port of 127.0.0.1, for the tests that
look at it over HTTP as a browser or a script would."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from .conftest import ROOT


class Server:
    """Started by the constructor (it waits until Datasette answers), stopped by stop()."""

    def __init__(self, command: list[str]) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.base = f"http://127.0.0.1:{self.port}"
        self.output = ""
        self.process = subprocess.Popen([*command, "--port", str(self.port)], cwd=ROOT, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, env={**os.environ, "NO_COLOR": "1"})
        deadline = time.monotonic() + 60
        while True:
            try:
                self.text("/-/versions.json")
                return
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"datasette did not start:\n{self.stop()}") from None
                time.sleep(0.2)

    def text(self, path: str, **params: Any) -> str:
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8"))

    def json(self, path: str, **params: Any) -> Any:
        return json.loads(self.text(path, **params))

    def stop(self) -> str:
        """Stop it; returns (and keeps in .output) what it printed."""
        self.process.terminate()
        self.output = str(self.process.communicate(timeout=30)[0])
        return self.output
