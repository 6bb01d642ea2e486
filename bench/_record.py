"""Appending a benchmark result to bench/RESULTS.md with the command, machine and date."""

from __future__ import annotations

import os
import platform
import shlex
import sys
from datetime import datetime, timezone
from pathlib import Path


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.machine()}, Python {platform.python_version()}"


def record(path: str | None, title: str, body: str) -> None:
    """Print the result; with a path, also append it as a dated section."""
    command = "python " + " ".join(shlex.quote(a) for a in sys.argv)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = f"\n### {title}\n\n- command: `{command}`\n- machine: {machine()}\n- date: {stamp}\n\n{body.rstrip()}\n"
    print(section)
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(section)
