"""Scrapy settings for kexie-archive: polite defaults for real association sites.

Per-site delay and concurrency come from the site's config (set by the spider); tests and the
demo override politeness for the local sample web on the command line, never here.
"""

from scrapy.settings.default_settings import EXTENSIONS_BASE as _SCRAPY_EXTENSIONS

from extract.page import EXPORT, Page, names

BOT_NAME = "kexie"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

KEXIE_CONTACT_URL = "https://github.com/kexie-archive/kexie-archive"
USER_AGENT = f"kexie-archive/0.1 (+{KEXIE_CONTACT_URL}; archiving science-association news)"

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
# Scrapy starts CONCURRENT_ITEMS asyncio tasks (default 100) for every response's output, even
# for the one item an article page yields: ~100 tasks a page were a fifth of the crawl process's
# CPU. Responses still go through the pipelines side by side; only one response's own output is
# taken in order (a list page's requests are merely scheduled).
CONCURRENT_ITEMS = 1
# Responses waiting for the extraction workers are held in memory up to this many body bytes
# (Scrapy's default, 5 MB, is ~500 article pages, each with its extracted text and sketch once
# done: the crawl's memory grew with a site's size until that cap). 1 MB (~100 pages) still
# keeps every worker busy.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
# No article page is this big: a larger body (or a gzip bomb, checked as it is decompressed) is
# cancelled and kept aside as too_large instead of holding a worker for minutes.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0  # the maximum is enough; a warning per big page would be cron-mail noise
REDIRECT_MAX_TIMES = 10
# name lookups (crawler/resolver.py): a lookup whose requests gave up is skipped, not left queued
# for the pool's threads (a crawl of many dead hosts idled for minutes at its end), and a name
# that failed fails at once for this long
TWISTED_DNS_RESOLVER = "crawler.resolver.SiteResolver"
KEXIE_DNS_FAILURE_SECONDS = 300
KEXIE_SITEMAP_DEPTH = 3  # sitemap indexes of sitemap indexes are followed this deep
# attachments of article pages (crawler/spiders/attachments.py): on, and at most this size each (a per-request
# download_maxsize: a larger file is cancelled as it comes and kept aside as attachment_too_large)
KEXIE_ATTACHMENTS = True
KEXIE_ATTACHMENT_MAXSIZE = 32 * 1024 * 1024
RETRY_TIMES = 2
# the spider logs a request's final failure in one line (crawler/spiders/site.py); Scrapy's own
# "Gave up retrying" line would say it a second time
RETRY_GIVE_UP_LOG_LEVEL = "INFO"
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
# Scrapy re-reads a generator callback's source with `ast` to warn about `return value`, again
# whenever its weakly held cache entry (the bound method) has been freed; the tests cover ours.
WARN_ON_GENERATOR_RETURN_VALUE = False
# Scrapy's memory stats without its deprecation wrapper on every attribute (crawler/stats.py)
STATS_CLASS = "crawler.stats.PlainStats"

# Conditional requests for list pages, sitemaps and feeds: RFC 2616 validation (ETag,
# Last-Modified) against a local cache; the spider asks for revalidation every time and keeps
# article pages out of the cache (they are archived raw in the pages table).
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_DIR = "httpcache"

# Many sites at once (crawler/throttle.py): one download slot per host with the site's own delay
# and concurrency, requests handed out slot by slot, AutoThrottle never below a slot's delay.
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
KEXIE_ACTIVE_SITES = 500  # sites crawled at once; the others wait their turn (their locks untaken)
KEXIE_MAX_CONCURRENCY = 2000  # CONCURRENT_REQUESTS is sized to the active sites, up to this

# a redirect off the site or in a loop is refused with its reason (the article is kept aside)
# a list page the HTTP cache answered because its fetch failed is still an error of its run
# (crawler/cachestandins.py: between the cache, 900, and the network)
# a meta refresh is looked for only in pages whose bytes can hold one (crawler/metarefresh.py)
DOWNLOADER_MIDDLEWARES = {"crawler.redirects.SiteRedirects": 650, "crawler.cachestandins.CacheStandIns": 950,
                          "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
                          "crawler.metarefresh.SiteMetaRefresh": 580}
# a site that answered with an anti-bot challenge: nothing more is sent to it (crawler/spiders/guards.py)
DOWNLOAD_HANDLERS = {"http": "crawler.spiders.guards.GuardedHTTP", "https": "crawler.spiders.guards.GuardedHTTP"}

# Scrapy imports every extension its base list names, even one its setting turns off: RemoteControl
# (off above) imports aiohttp, ~0.15 s of every crawl's start-up, so it is left out of the list
EXTENSIONS_BASE = {path: order for path, order in _SCRAPY_EXTENSIONS.items() if not path.endswith(".RemoteControl")}

# a live line per site on a terminal, nothing when output goes to cron mail or a log file
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.throttle.SiteAutoThrottle": 0,
    "crawler.progress.Progress": 500,
    "crawler.livecounts.LiveCounts": 500,  # crawl_runs counts while the crawl goes
    "crawler.quietlog.QuietNetworkErrors": 0,  # a network failure is one log line, its traceback only at DEBUG
    "crawler.mode.InstallMode": 0,  # the crawl mode the CLI built (KEXIE_CRAWL_MODE; else the local archive)
}
KEXIE_PROGRESS_INTERVAL = 2.0  # seconds between redraws of the live line on a terminal
KEXIE_PROGRESS_EVERY = 10.0  # seconds between progress lines when stderr is a file or a pipe

ITEM_PIPELINES = {
    "pipelines.pool.PooledProcessPipeline": 100,  # extract → clean → date, in worker processes
    "pipelines.dedupe.DedupePipeline": 400,
    "pipelines.store.StorePipeline": 500,
}

# the archive file; KEXIE_DB in the environment or `-s KEXIE_DB=...` overrides it
KEXIE_DB = None
# where the sites come from and the writes go (crawler/mode.py): set by the CLI, never by hand
KEXIE_CRAWL_MODE = None
# writes reach the file in one short transaction every this many pages or seconds (archive/writer.py)
KEXIE_BATCH_SIZE = 100
KEXIE_BATCH_SECONDS = 1.0
# distributed crawls (kexie worker): a worker takes no new site while more pages than this wait
# in Redis for the archiver (it is down or slower than the workers)
KEXIE_REDIS_MAX_WAITING = 50_000
KEXIE_WORKERS = -1  # worker processes for extraction: -1 one per core, 0 none (in the crawl process)

FEED_EXPORT_ENCODING = "utf-8"
# `scrapy crawl site -O items.jsonl|csv`: what a person wants of a page, not its raw body, parsed
# tree or MinHash sketch (the archive keeps those)
FEED_EXPORT_FIELDS = list(names(Page, EXPORT))  # the fields extract/page.py declares EXPORT
