"""The archive side of a page's write: dedupe decisions, the near-duplicate index, clusters,
and the write itself (dedupe/write.py), the same for a crawl, the archiver and reextract.
"""
