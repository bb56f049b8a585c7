"""The on-disk layout of a store directory: immutable versions, the HEAD pointer, locks.

See :mod:`cheguKG.store` for why. Everything here is about files, not RDF::

    HEAD               the current version's name, replaced atomically (write, fsync, rename)
    v000007/           a RocksDB directory nobody writes any more
    write.lock         the writer's POSIX lock (owned by its process, not by forked workers)
    locks/v*.lock      flock(LOCK_SH) of each reader of a version; the writer deletes a
                       version only when it can take LOCK_EX on it
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from pathlib import Path

from .errors import StoreError

VERSION = re.compile(r"v(\d{6,})$")


def read_head(path: Path) -> str | None:
    try:
        version = (path / "HEAD").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if not VERSION.match(version) or not (path / version).is_dir():
        raise StoreError(f"store {path} is damaged: HEAD names {version!r}, which is missing; "
                         f"point HEAD at an existing v* directory or rebuild")
    return version


def stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns)


def write_head(path: Path, version: str) -> None:
    tmp = path / f"HEAD.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(version + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path / "HEAD")
    fsync_dir(path)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def next_version(path: Path) -> str:
    numbers = [int(m.group(1)) for p in path.iterdir() if (m := VERSION.match(p.name))]
    numbers += [int(m.group(1)) for p in (path / "locks").glob("v*.lock") if (m := VERSION.match(p.stem))]
    return f"v{max(numbers, default=0) + 1:06d}"


#: Store directories this process holds as writer. The writer lock is a POSIX record lock
#: (fcntl.lockf): unlike flock it is owned by the process, so worker processes forked by a
#: build do not inherit it and cannot keep a killed build's store locked; but it does not
#: exclude a second writer in the same process, which this set does.
_WRITERS: set[str] = set()


class _WriterLock:
    def __init__(self, fh, key: str):
        self.fh, self.key = fh, key

    def close(self) -> None:
        _WRITERS.discard(self.key)
        self.fh.close()


def lock_writer(path: Path) -> _WriterLock:
    key = str(path.resolve())
    if key in _WRITERS:
        raise StoreError(f"store {path} is locked by another build (pid {os.getpid()}, this process): "
                         "close that Store first, or open this one read-only")
    fh = open(path / "write.lock", "a+", encoding="utf-8")
    try:
        fcntl.lockf(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.seek(0)
        pid = fh.read().strip() or "?"
        fh.close()
        raise StoreError(f"store {path} is locked by another build (pid {pid}): "
                         "wait for it to finish, or open the store read-only") from None
    fh.seek(0)
    fh.truncate()
    fh.write(str(os.getpid()))
    fh.flush()
    _WRITERS.add(key)
    return _WriterLock(fh, key)


class _NoLock:
    """Stands in for a reader lock where none can be made (a read-only copy of a store:
    no writer can run there either)."""

    def close(self) -> None:
        pass


def lock_shared(path: Path, version: str):
    try:
        (path / "locks").mkdir(exist_ok=True)
        fh = open(path / "locks" / f"{version}.lock", "a+")
    except OSError:
        return _NoLock()
    fcntl.flock(fh.fileno(), fcntl.LOCK_SH)
    return fh


def remove_unread(path: Path, version: str) -> None:
    lock_path = path / "locks" / f"{version}.lock"
    with open(lock_path, "a+") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # a reader still uses it
        target = path / version
        if target.exists():
            trash = path / f".trash-{version}-{os.getpid()}"
            os.replace(target, trash)
            shutil.rmtree(trash, ignore_errors=True)
        lock_path.unlink(missing_ok=True)
