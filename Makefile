# The whole set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PACKAGES := cli crawler pipelines extract dedupe archive distributed siteconfig tools

.PHONY: demo test lint quality bench clean browser redis

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# the pip that ships with Python 3.11 installs trafilatura without lxml_html_clean
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/kexie demo

# Debian's chromium for the browser tests (report and Datasette screenshots), opt-in: `make browser`
# then `make test`; without it those tests are skipped and say why.
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
		|| echo "warning: could not install chromium (needs root and the Debian archive): the report's browser test will be skipped"

# Debian's redis-server for the distributed-crawl tests (they start their own server on a free port)
redis:
	@command -v redis-server >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; } \
		|| echo "warning: could not install redis-server (needs root and the Debian archive): the distributed tests will fail"

test: $(STAMP) redis
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check $(PACKAGES) bench tests
	$(VENV)/bin/mypy $(PACKAGES)

quality: $(STAMP)
	$(PY) bench/quality.py

bench: $(STAMP)
	$(PY) bench/throughput.py --reextract

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache *.egg-info build dist
