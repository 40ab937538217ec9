"""How the archive compresses what it keeps whole: raw pages and attachment files.

Why ISA-L: the stored bytes are a zlib stream (any zlib reads them: `decompress`, WARC export,
`kexie sql`), but writing it was the costliest step of storing a page: stdlib zlib at level 6
took ~3 ms CPU for an average corpus page (180 KiB), ISA-L's level 2 takes ~0.3 ms for streams
~15 % larger (`python -m bench.store_cost` prints both). The compressed bytes may differ between
ISA-L versions and CPUs; nothing compares them (pages are deduplicated by the raw body's SHA-1).
Where the `isal` wheel is missing, stdlib zlib at level 6 writes the same format as before.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

_compress: Callable[[bytes], bytes]
try:
    from isal import isal_zlib

    def _compress(body: bytes) -> bytes:
        return isal_zlib.compress(body, 2)
except ImportError:  # no wheel for this platform: the standard library's, as slow as before
    def _compress(body: bytes) -> bytes:
        return zlib.compress(body, 6)


def compress(body: bytes) -> bytes:
    """A zlib stream of `body`, as `pages.body` and `attachments.body` keep it."""
    return _compress(body)


def decompress(blob: bytes) -> bytes:
    return zlib.decompress(blob)
