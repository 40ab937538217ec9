"""Run a command and measure it as a process tree: wall time, CPU, peak memory, background load.

Why this much: the crawl is about to move its CPU stages into worker processes, and the figures
must stay right before and after without touching the bench. So CPU is user+sys of the whole
tree (the child's wait4 rusage plus any descendant orphaned to us: this process becomes a
child subreaper), peak RSS is both the command's own ru_maxrss (the largest single process; read
through a tiny launcher, see _LAUNCHER) and the sampled sum of PSS over the live tree (shared
pages of forked workers counted once), and the CPU that
other processes burned meanwhile is reported, because other developers' tests share the cores.
"""

from __future__ import annotations

import ctypes
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
_PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """Descendants whose parent exits (a forkserver, a daemonised worker) are re-parented here,
    so their CPU reaches our RUSAGE_CHILDREN instead of init's. Linux only; False elsewhere."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def proc_cpu(pid: int) -> float:
    """user+sys seconds a live process has used so far (0.0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def busy_seconds() -> float:
    """CPU seconds all processes on the machine have used (from /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / TICK  # minus idle and iowait


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                ppid = int(Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _memory_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return 0


def _tree(root: int, keep_out: set[int]) -> list[int]:
    """root, its descendants, and orphans re-parented to us (not the processes in keep_out)."""
    tree = _children()
    todo = [root, *(p for p in tree.get(os.getpid(), []) if p not in keep_out and p != root)]
    seen: list[int] = []
    while todo:
        pid = todo.pop()
        seen.append(pid)
        todo.extend(tree.get(pid, []))
    return seen


def _reap(orphans: list[int], deadline: float) -> None:
    """Wait for leftovers re-parented to us (a forkserver winding down) so their CPU is counted."""
    for pid in orphans:
        while time.monotonic() < deadline:
            try:
                if os.waitpid(pid, os.WNOHANG)[0]:
                    break
            except ChildProcessError:
                break
            time.sleep(0.05)


@dataclass
class Run:
    """What one measured command cost."""

    returncode: int
    wall: float
    cpu: float  # user+sys seconds of the whole tree
    maxrss_kb: int  # the command's ru_maxrss: its largest single process (itself or a waited-for child)
    peak_tree_kb: int  # sampled peak of the tree's summed PSS
    other_cores: float  # CPU used meanwhile by everything else on the machine, in cores
    stdout: str
    stderr: str


# A child's ru_maxrss starts at the RSS high-water mark of the process that spawned it (Linux records
# the old address space's peak at exec, and vfork/posix_spawn share the parent's), so a command
# spawned by this process (which holds thousands of pages for (b)) would report our peak, not its own.
# A tiny launcher spawns the command instead and reports the command's own ru_maxrss.
_LAUNCHER = (
    "import json, os, sys\n"
    "pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "open(sys.argv[1], 'w').write(json.dumps({'maxrss_kb': usage.ru_maxrss}))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def run(cmd: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
        keep_out: Sequence[int] = (), timeout: float = 3600, interval: float = 0.25) -> Run:
    """Run cmd to completion, sampling its tree's memory every `interval` seconds."""
    keep = set(keep_out)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".json") as report:
        before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
        before_self, before_busy, before_kept = time.process_time(), busy_seconds(), sum(map(proc_cpu, keep))
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", _LAUNCHER, report.name, *cmd], env=env, cwd=cwd, stdout=out,
                                stderr=err, start_new_session=True)
        peak = 0
        try:
            while True:
                pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                peak = max(peak, sum(_memory_kb(p) for p in _tree(proc.pid, keep) if p != proc.pid))
                if time.monotonic() - started > timeout:
                    os.killpg(proc.pid, signal.SIGKILL)
                time.sleep(interval)
        except BaseException:  # Ctrl-C: the child has its own session, so stop it ourselves
            os.killpg(proc.pid, signal.SIGTERM)
            raise
        _reap([p for p in _tree(proc.pid, keep) if p != proc.pid], deadline=time.monotonic() + 10)
        wall = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before_children.ru_utime) + (after.ru_stime - before_children.ru_stime)
        ours = cpu + (time.process_time() - before_self) + (sum(map(proc_cpu, keep)) - before_kept)
        other = max(0.0, busy_seconds() - before_busy - ours) / wall
        out.seek(0)
        err.seek(0)
        maxrss = json.loads(report.read() or "{}").get("maxrss_kb", 0)
        return Run(proc.returncode, wall, cpu, maxrss, max(peak, 0), other,
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def machine() -> list[str]:
    """The lines that say where the figures came from."""
    import scrapy
    import trafilatura

    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "?")
    mem = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return [f"machine: nproc {os.cpu_count()}, {model}, {mem} MiB RAM, load average {load} at start",
            f"software: Python {platform.python_version()}, Scrapy {scrapy.__version__}, "
            f"trafilatura {trafilatura.__version__}, {platform.system()} {platform.release()}"]
