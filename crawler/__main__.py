"""`python -m crawler` is the `kexie` command."""

from crawler.cli import main

main()
