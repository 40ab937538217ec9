"""Rules and site files, as data: installed as the package `kexie_config` (pyproject's package-dir) so
importlib.resources finds them in any install (extract/paths.py). This file only makes it a package."""
