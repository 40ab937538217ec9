"""CLI: ``python -m cli.sampleweb.generate [--check]``."""

from __future__ import annotations

import sys

from .build import generate, write
from .common import SAMPLEWEB_DIR


def main(argv: list[str]) -> int:
    """Write the fixtures, or with --check compare them with disk and run the sanity checks."""
    out = generate()
    if "--check" in argv:
        from .checks import check  # needs lxml, which writing does not

        return check(out)
    write(out)
    print(f"wrote {len(out.files)} files under {SAMPLEWEB_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
