"""The layout's rules, checked on the source (README, "Layout"): each folder is one side of a process
boundary, and what crosses a boundary does so in one direction.

* extract/ is the worker side: it imports neither Scrapy nor the archive (nor any other folder of
  ours but itself), so it runs in any process, the extraction workers included.
* SQL is written only in archive/: a column rename touches one package.
* No import circles between our modules (function-local imports included; imports only for type
  checking are not imports), and no two top-level folders that import each other.
* Writes cross the corridor as typed write objects, never as functools.partial closures of write
  functions built outside them.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cli", "crawler", "pipelines", "extract", "dedupe", "archive", "distributed", "siteconfig", "tools")
OURS = (*PACKAGES, "bench")
SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|REPLACE|WITH\s+\w+\s+AS)\b")


def modules(*packages: str) -> Iterator[tuple[str, Path]]:
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "sampleweb/sites" in path.as_posix():
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            yield ".".join(parts), path


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports(path: Path) -> set[str]:
    """Every module the file imports at run time, wherever the import statement stands."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if _type_checking(node):
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text("utf-8")))
    return found


def test_extract_imports_neither_scrapy_nor_the_archive() -> None:
    forbidden = ("scrapy", "twisted", "sqlite3", "sqlite_utils", *(p for p in OURS if p != "extract"))
    bad = {name: sorted(m for m in imports(path) if m.split(".")[0] in forbidden)
           for name, path in modules("extract")}
    assert {name: found for name, found in bad.items() if found} == {}


def test_sql_is_written_only_in_archive() -> None:
    found = []
    for name, path in modules(*(p for p in PACKAGES if p != "archive")):
        tree = ast.parse(path.read_text("utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                    and SQL.match(node.value):
                found.append(f"{name}:{node.lineno}: {node.value[:60]!r}")
    assert found == []


def test_no_import_circles() -> None:
    graph = {name: set() for name, _ in modules(*OURS)}
    for name, path in modules(*OURS):
        for target in imports(path):
            if target in graph and target != name:
                graph[name].add(target)
    circles = _strongly_connected(graph)
    assert circles == []


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of modules that import each other, round and round."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_says_what_it_is(package: str) -> None:
    init = ROOT / package / "__init__.py"
    assert init.exists() and ast.get_docstring(ast.parse(init.read_text("utf-8"))), f"{package}/__init__.py"


def test_every_component_the_settings_and_entry_points_name_exists() -> None:
    """Components are wired by name (Scrapy's settings, pyproject's entry points): a moved module
    must take its names along."""
    import tomllib

    from scrapy.utils.misc import load_object

    from crawler import settings

    names = [*settings.ITEM_PIPELINES, *settings.EXTENSIONS, *settings.DOWNLOADER_MIDDLEWARES]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    names += [value.replace(":", ".") for value in project["scripts"].values()]
    names += [f"{value}.__name__" for group in project["entry-points"].values() for value in group.values()]
    missing = []
    for name in names:
        try:
            load_object(name) if not name.endswith(".__name__") else __import__(name.rsplit(".", 1)[0])
        except (ImportError, AttributeError, NameError) as exc:
            missing.append(f"{name}: {exc}")
    assert missing == []


# A migration that has shipped never changes (archives out there already ran it): a change of
# schema is a new migration. Add a migration's fingerprint here when it ships.
SHIPPED = {1: "293f0eb72b92", 2: "36c69e13d174", 3: "cc4aa91b162f", 4: "e78d757ce2a5", 5: "573ca4e42db1",
           6: "73adfc555778", 7: "fa06bae4ad57"}


def test_shipped_migrations_stay_as_they_shipped() -> None:
    import hashlib
    import inspect

    from archive.schema import MIGRATIONS

    def fingerprint(step: object) -> str:
        source = inspect.getsource(inspect.getmodule(step) if step.__name__ == "migrate_v4" else step)  # type: ignore[arg-type,attr-defined]
        return hashlib.sha1(source.encode()).hexdigest()[:12]

    assert {n: fingerprint(step) for n, step in enumerate(MIGRATIONS, 1) if n in SHIPPED} == SHIPPED


def test_test_files_import_no_other_test_file() -> None:
    """Shared fixtures live in conftest.py, shared helpers in tests/ modules named for what they hold
    (searching, scheduling, dedupe_texts, synthetic…): a test file is never imported for its helpers."""
    found = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        found += [f"{path.name}: {name}" for name in imports(path) | _relative_imports(path)
                  if name.split(".")[-1].startswith("test_") or ".test_" in name]
    assert found == []


def _relative_imports(path: Path) -> set[str]:
    return {node.module or "" for node in ast.walk(ast.parse(path.read_text("utf-8")))
            if isinstance(node, ast.ImportFrom) and node.level > 0}


def test_no_two_top_level_folders_import_each_other() -> None:
    """Data flows one way between the folders too: if a folder imports another, the other imports
    nothing of it (crawler/ and distributed/: the worker's mode builds on the crawler, never back)."""
    edges: dict[tuple[str, str], str] = {}
    for name, path in modules(*OURS):
        for target in imports(path):
            pair = (name.split(".")[0], target.split(".")[0])
            if pair[1] in OURS and pair[0] != pair[1]:
                edges.setdefault(pair, f"{name} imports {target}")
    both = sorted(f"{edges[(a, b)]}; {edges[(b, a)]}" for a, b in edges if (b, a) in edges and a < b)
    assert both == []


# where write objects live (issue 23): the one place that may wrap a write function (dedupe/writes.py
# needs none: each write is a dataclass with its own apply)
WRITE_OBJECT_MODULES: frozenset[str] = frozenset()
_WRITE_SIDE = ("archive", "dedupe")  # the folders whose functions write the archive


def write_closures(path: Path) -> list[str]:
    """functools.partial calls that make a write: of a function of the write side (archive/, dedupe/),
    or handed to a write queue's `add` as its write (`writer.add(partial(...))`)."""
    tree = ast.parse(path.read_text("utf-8"))
    origin: dict[str, str] = {}  # local name -> the module it was imported from
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                origin[alias.asname or alias.name] = node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                origin[alias.asname or alias.name.split(".")[0]] = alias.name

    def is_partial(call: ast.AST) -> bool:
        return isinstance(call, ast.Call) and ast.unparse(call.func) in ("partial", "functools.partial")

    found = []
    for node in ast.walk(tree):
        if is_partial(node) and node.args:  # type: ignore[attr-defined]
            wrapped = node.args[0]  # type: ignore[attr-defined]
            root = wrapped
            while isinstance(root, ast.Attribute):
                root = root.value
            module = origin.get(root.id, "") if isinstance(root, ast.Name) else ""
            if module.split(".")[0] in _WRITE_SIDE:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: partial({ast.unparse(wrapped)}, ...)")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add"
              and node.args and is_partial(node.args[0])):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node.func)}(partial(...))")
    return sorted(set(found))


def test_nothing_outside_the_write_objects_builds_a_write_closure() -> None:
    """Writes cross the corridor as typed write objects that apply and encode themselves, never as
    functools.partial closures the wire would have to recognise by the function they wrap."""
    found = [line for name, path in modules(*PACKAGES) if name not in WRITE_OBJECT_MODULES
             for line in write_closures(path)]
    assert found == []
