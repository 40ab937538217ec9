"""`kexie`: crawl association sites into the archive, and read the archive back.

The commands live in small modules by what they do; this module gathers them under one group that
turns every failure into one `error:` line (exit 2) instead of a traceback, for present and future
commands alike. KEXIE_DEBUG=1 shows the traceback instead.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from contextlib import suppress
from importlib import metadata
from typing import Any, NoReturn

import click

from cli import addsite, crawl, demo, distributed, duplicates, health, maintain, query, site_status
from cli.common import DB_META, fail


class KexieGroup(click.Group):
    """A click group whose commands fail with one line: a damaged archive, a missing folder, a closed pipe."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        for position, arg in enumerate(args, 1):
            _check_utf8(position, arg)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:  # bad input: the same one line as every other refusal
            fail(_one_line(exc))
        except (click.exceptions.Exit, click.Abort):
            raise  # click handles these itself
        except BrokenPipeError:
            _reader_gone()
        except Exception as exc:
            if os.environ.get("KEXIE_DEBUG"):
                raise
            fail(describe(exc, ctx.meta.get(DB_META)))


def _one_line(exc: click.ClickException) -> str:
    """Click's own message for bad input, with where to read more instead of its usage lines."""
    context = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and context is not None:
        return f"{exc.format_message()} (see `{context.command_path} --help`)"
    return exc.format_message()


def _check_utf8(position: int, arg: str) -> None:
    """Python hands bytes that are not UTF-8 over as lone surrogates, which fail later wherever they are
    encoded (SQLite, output); refuse them up front, saying what they might have been."""
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(arg)
        try:
            hint = f"; as GBK it reads {raw.decode('gb18030')!r}"
        except UnicodeDecodeError:
            hint = ""
        fail(f"argument {position} is not UTF-8 text: {raw!r}{hint} (set the terminal to UTF-8)")


def _reader_gone() -> NoReturn:
    """The program reading our output stopped (`kexie export | head -1`): stop quietly, with exit 0. The reader
    chose to stop and its own status reports its failures, while 141 (SIGPIPE's) would fail every
    `set -o pipefail` script that pipes kexie into head. Python flushes stdout again at exit: aim it at
    /dev/null so that flush cannot complain."""
    with suppress(OSError, ValueError):  # no real stdout (a test runner): nothing will be flushed to a pipe
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(0)


def describe(exc: Exception, db: str | None) -> str:
    """One line for a failure that escaped a command."""
    if type(exc).__module__.startswith("redis"):
        return f"Redis failed: {exc}"
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", None) or ""
        verb = ("write" if name.startswith(("SQLITE_READONLY", "SQLITE_FULL"))
                else "open" if name.startswith("SQLITE_CANTOPEN") else "read")
        return f"cannot {verb} the archive{' ' + db if db else ''}: {exc}"
    if isinstance(exc, OSError) and exc.filename:
        return f"cannot use {exc.filename}: {exc.strerror or exc}"
    if isinstance(exc, UnicodeEncodeError) and "surrogates" in exc.reason:
        return f"not UTF-8 text: {exc.object[exc.start:exc.end]!r} (a file name or variable in another encoding?)"
    return f"{type(exc).__name__}: {exc} (KEXIE_DEBUG=1 shows where)"


def versions() -> str:
    """kexie-archive's version and those of what shapes an archive, for bug reports: read from the installed
    packages' metadata, so `--version` imports neither Scrapy nor trafilatura."""
    def of(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return (f"kexie-archive {of('kexie-archive')} (Scrapy {of('Scrapy')}, trafilatura {of('trafilatura')},"
            f" SQLite {sqlite3.sqlite_version})")


def _show_versions(ctx: click.Context) -> None:
    click.echo(versions())
    ctx.exit()


@click.group(cls=KexieGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, help="Show the versions and exit.",
              callback=lambda ctx, _param, on: _show_versions(ctx) if on else None)
def main() -> None:
    """Archive news of China's science and technology associations (科协).

    \b
    Example:
      kexie demo && kexie search 科普
    """


for _module in (addsite, crawl, demo, distributed, duplicates, health, maintain, query, site_status):
    for _command in vars(_module).values():
        if isinstance(_command, click.Command):
            main.add_command(_command)
