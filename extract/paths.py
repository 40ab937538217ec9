"""Where the rules and site files live: $KEXIE_CONFIG_DIR, else the config/ shipped in the package.

config/ is a top-level folder of data in the checkout; the wheel installs it as the package
`kexie_config` (pyproject's package-dir), read through importlib.resources, so an application
install (pip, pipx, a container) has the same rules and site files as the checkout. A server
points KEXIE_CONFIG_DIR at a folder of its own, where site files and rules are edited without a
redeploy; a file that folder lacks (say it holds only sites/) is still read from the package.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "kexie_config"  # config/ as installed


@lru_cache(maxsize=1)
def packaged_config_dir() -> Path:
    """The shipped config folder: the package's files (the checkout's config/ in an editable install)."""
    try:
        found = resources.files(PACKAGE)
    except ModuleNotFoundError:  # running from a checkout that was never installed
        return PROJECT_ROOT / "config"
    # a zipped egg (scrapyd) has no folder to hand out: it sets KEXIE_CONFIG_DIR instead
    return found if isinstance(found, Path) else PROJECT_ROOT / "config"


def config_dir() -> Path:
    """The config folder in force: $KEXIE_CONFIG_DIR, else the shipped one."""
    return Path(os.environ.get("KEXIE_CONFIG_DIR") or packaged_config_dir())


def config_file(name: str) -> Path:
    """One rules file or folder (sites/): from $KEXIE_CONFIG_DIR when that folder has it, else the shipped one."""
    own = config_dir() / name
    return own if own.exists() else packaged_config_dir() / name


def installed_copy(path: Path) -> bool:
    """True for a path inside the installed package's config (not a checkout's), which is never written:
    a reinstall would replace it."""
    shipped = packaged_config_dir()
    return shipped != PROJECT_ROOT / "config" and path.resolve().is_relative_to(shipped.resolve())
