"""`kexie`: crawl association sites into the archive, and read the archive back.

The commands live in small modules by what they do; this module only gathers them.
"""

from __future__ import annotations

import click

from crawler import cli_crawl, cli_duplicates
from crawler.cli_archive import register


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Archive news of China's science and technology associations (科协).

    \b
    Example:
      kexie demo && kexie search 科普
    """




for _module in (cli_crawl, cli_duplicates):
    for _command in vars(_module).values():
        if isinstance(_command, click.Command):
            main.add_command(_command)
register(main)
