"""The archive side of a page's write: dedupe decisions, the near-duplicate index, clusters,
the write itself (dedupe/write.py), the same for a crawl and the archiver, and the typed writes
that cross from the crawl to the archive (dedupe/writes.py).
"""
