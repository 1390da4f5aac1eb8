"""What a query worker may touch: no network, and a bounded amount of memory.

pyoxigraph would evaluate a SERVICE clause with its own HTTP client; the SERVICE policy
(``server.service_plan``) keeps such clauses from reaching it, and this is the second wall: each
worker moves into a network namespace of its own, with no interface up, so the engine can reach
no address at all, loopback included. Remote SERVICE calls are made by the web process.
"""

from __future__ import annotations

import ctypes
import os
import resource

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


def cut_network() -> str | None:
    """Move this (single-threaded) process into an empty network namespace.

    Returns None on success, else why it could not be done (the caller logs it).
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as err:
        return f"no C library: {err}"
    # As root a new network namespace suffices; otherwise a user namespace makes it allowed.
    for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return None
        errno = ctypes.get_errno()
    return f"unshare failed: {os.strerror(errno)}"


def address_space() -> int:
    """This process's virtual memory size in bytes (VmSize), 0 if unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def limit_memory(extra_mib: int) -> str | None:
    """Cap the address space at what is mapped now plus ``extra_mib`` MiB (0: no cap)."""
    if extra_mib <= 0:
        return None
    current = address_space()
    if not current:
        return "cannot read the process size (/proc/self/status)"
    limit = current + extra_mib * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return None


def private_bytes(pid: int) -> int:
    """Memory process ``pid`` holds on its own (not shared with another process), in bytes;
    0 if it cannot be read (the process has gone)."""
    total = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    total += int(line.split()[1]) * 1024
    except OSError:
        return 0
    return total


M_ARENA_MAX = -8  # glibc's mallopt parameter


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None)
    except OSError:
        return None


def few_arenas(arenas: int = 2) -> None:
    """Let this process's threads share ``arenas`` malloc arenas (glibc; elsewhere nothing).

    By default each thread that allocates may get an arena of its own, and each keeps the
    memory an answer of megabytes once took: with eight HTTP threads, eight times that."""
    libc = _libc()
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(M_ARENA_MAX, arenas)


def give_back_memory() -> None:
    """Return the free memory at the top of this process's heaps to the system (glibc)."""
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)
