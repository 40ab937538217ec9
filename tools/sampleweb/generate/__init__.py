"""Generator for the bundled offline sample web (tools/sampleweb/).

Six small static web sites used as crawler fixtures, plus the ground-truth manifest
``expected.json``. All page texts live in this package (``texts_*.py``); running it
rewrites ``sites/`` and ``expected.json`` byte for byte:

    python -m cli.sampleweb.generate            # (re)write the fixtures
    python -m cli.sampleweb.generate --check    # verify files on disk == generated,
                                                    # plus sanity checks (links, patterns,
                                                    # encodings, coverage of expected.json)

Per site there are three modules: ``texts_<site>`` (page texts and fixed data),
``layout_<site>`` (page chrome) and ``<site>`` (its articles and the build of its pages).

Needs only the standard library, except the traditional-script site ``cdkx``, which is
converted from simplified text with OpenCC (opencc-python-reimplemented, config "s2t"), and
xyast's attachment files (attachments_xyast.py: reportlab, python-docx, openpyxl, xlwt, the dev extra);
the --check mode also uses lxml and config/sample-sites/*.toml.

Nothing here imports the crawler: expected.json is written from the fixture data itself,
never from extraction output.
"""

from .build import generate, write

__all__ = ["generate", "write"]
