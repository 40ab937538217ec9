"""The attachment files the bench and the tests make: they live with the sample web that serves them
(tools/sampleweb/generate/attachfiles.py), since bench/ builds on tools/ and never the other way."""

from tools.sampleweb.generate.attachfiles import FIXED, docx, pdf, pdf_pages, scanned_pdf, xls, xlsx

__all__ = ["FIXED", "docx", "pdf", "pdf_pages", "scanned_pdf", "xls", "xlsx"]
