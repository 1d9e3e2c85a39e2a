"""How the CPU worker process is started: malloc on transparent huge pages, so forks are cheap."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from sandbox.process import with_huge_pages

THP_ENABLED = Path("/sys/kernel/mm/transparent_hugepage/enabled")


def _glibc_at_least(major: int, minor: int) -> bool:
    try:
        name, version = os.confstr("CS_GNU_LIBC_VERSION").split()  # "glibc 2.36"
    except (AttributeError, ValueError, OSError):
        return False
    found = tuple(int(x) for x in re.findall(r"\d+", version)[:2])
    return name == "glibc" and found >= (major, minor)


def _thp_available() -> bool:
    try:
        return "[never]" not in THP_ENABLED.read_text()
    except OSError:
        return False


def test_huge_pages_are_asked_for_when_nothing_is_set():
    assert with_huge_pages(None) == "glibc.malloc.hugetlb=1"
    assert with_huge_pages("") == "glibc.malloc.hugetlb=1"


def test_huge_pages_keep_the_tunables_already_set():
    assert (
        with_huge_pages("glibc.malloc.arena_max=2")
        == "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"
    )


def test_a_hugetlb_the_user_chose_is_left_alone():
    assert with_huge_pages("glibc.malloc.hugetlb=0") == "glibc.malloc.hugetlb=0"
    assert (
        with_huge_pages("glibc.malloc.hugetlb=2:glibc.malloc.arena_max=2")
        == "glibc.malloc.hugetlb=2:glibc.malloc.arena_max=2"
    )


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or not _glibc_at_least(2, 35) or not _thp_available(),
    reason="needs Linux with glibc 2.35+ and transparent huge pages not set to never",
)
def test_the_cpu_workers_heap_is_on_huge_pages(sb):
    pid = sb.worker_pids()["cpu"]
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    huge_kb = int(re.search(r"^AnonHugePages:\s+(\d+) kB", rollup, re.M).group(1))
    assert huge_kb >= 16 * 1024, rollup
