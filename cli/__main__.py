"""`python -m cli` is the `kexie` command."""

from cli.main import main

main()
