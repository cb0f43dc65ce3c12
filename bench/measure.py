"""What the bench reads off the machine: resident memory of process trees, the machine itself."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return children


def tree(pid: int) -> list[int]:
    """The process and all its descendants (Sanic workers, forked servers)."""
    children, found = _children(), [pid]
    for parent in found:
        found.extend(children.get(parent, []))
    return found


def _kib(path: Path, field: str) -> int:
    try:
        match = re.search(rf"^{field}:\s+(\d+) kB", path.read_text(), re.MULTILINE)
    except OSError:
        return 0
    return int(match.group(1)) if match else 0


def memory_mib(pid: int) -> tuple[float, float]:
    """
    (RSS, PSS) of a process and its descendants, in MiB.

    RSS counts pages shared between forked workers once per worker; PSS splits them.
    """
    pids = tree(pid)
    rss = sum(_kib(Path(f"/proc/{p}/status"), "VmRSS") for p in pids)
    pss = sum(_kib(Path(f"/proc/{p}/smaps_rollup"), "Pss") for p in pids)
    return rss / 1024, pss / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its descendants so far."""
    ticks = 0
    for p in tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores together."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - idle) / hz, sum(ticks) / hz


def machine() -> str:
    cpu = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
    memory = _kib(Path("/proc/meminfo"), "MemTotal") / 1024 / 1024
    return (
        f"{os.cpu_count()} cores ({cpu.group(1) if cpu else platform.machine()}), "
        f"{memory:.0f} GiB RAM, Linux {platform.release()}, Python {platform.python_version()}"
    )


def load_average() -> str:
    """The machine's 1-minute load average: other work shares these cores."""
    return Path("/proc/loadavg").read_text().split()[0]
