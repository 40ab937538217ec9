"""The `kexie` command: one click group (cli/main.py), its commands by what they do."""
