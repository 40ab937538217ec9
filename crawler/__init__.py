"""The Scrapy project: settings, the site spider, its middlewares and extensions, and the runs of
the sites a crawl works on (local site files or a Redis job queue).
"""
