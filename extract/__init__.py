"""The worker side: page bytes in, article fields out (decode, extract, clean, date, fingerprint).

Pure: imports neither Scrapy nor the archive, so it runs in any process (tests/test_layout.py).
"""
