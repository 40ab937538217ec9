"""Where the rules and site files live: config/ in the checkout, or $KEXIE_CONFIG_DIR.

A deployed egg (scrapyd) carries code only, so the server points KEXIE_CONFIG_DIR at its
config folder; site files and boilerplate rules are edited there without a redeploy.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def config_dir() -> Path:
    return Path(os.environ.get("KEXIE_CONFIG_DIR") or PROJECT_ROOT / "config")
