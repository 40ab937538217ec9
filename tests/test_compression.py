"""The archive's compression (archive/compression.py): ISA-L's zlib stream, read back by any zlib."""

from __future__ import annotations

import zlib

from archive.compression import compress, decompress

PAGE = ("<html><head><meta charset='utf-8'><title>科协召开代表大会</title></head><body>"
        + "<p>县科协召开第七次代表大会，选举产生新一届委员会。</p>" * 400 + "</body></html>").encode()


def test_the_stored_stream_is_isal_and_any_zlib_reads_it() -> None:
    from isal import isal_zlib  # declared in pyproject.toml for every platform with a wheel

    blob = compress(PAGE)
    assert blob == isal_zlib.compress(PAGE, 2)  # not the standard library's level 6 (5-10x slower)
    assert blob != zlib.compress(PAGE, 6)
    assert zlib.decompress(blob) == PAGE == decompress(blob)
    assert len(blob) < len(PAGE) / 10
