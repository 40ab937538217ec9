# The whole set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint quality clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# the pip that ships with Python 3.11 installs trafilatura without lxml_html_clean
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/kexie demo

test: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check crawler pipelines archive bench tests
	$(VENV)/bin/mypy crawler pipelines archive

quality: $(STAMP)
	$(PY) bench/quality.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache *.egg-info
