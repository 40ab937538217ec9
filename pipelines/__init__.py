"""Scrapy's item pipelines, thin: the extraction worker pool, the store stage's batches, and the
re-extraction of stored pages through the same pool and write path.
"""
