"""Writing outputs so that a kill, a second writer, a full disk or an unwritable path never
leaves a partial result that looks complete (docs/reliability.md, "Faults"):

- `lock(target, option)`: an `fcntl.flock` lock file beside the target (`.NAME.lock`), held
  while a command computes and writes it; a second process writing the same target is refused
  (InputError naming the target and the holder's pid). The kernel drops the lock when its holder
  dies, even by SIGKILL, so a rerun after a kill is never refused.
- `write_text(path, text, option)`: a temporary name beside the file, fsync, then a rename.
- `os_error(option, path, e, doing)`: an OSError (full disk, permission, read-only file system,
  a path under a regular file) as an InputError naming the path.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from umbrella.errors import InputError

TMP = ".tmp-"       # every temporary name made here holds this (".NAME.tmp-...")


def os_error(option: str, path: str | os.PathLike, e: OSError, doing: str = "writing") -> InputError:
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "the disk is full"
    elif e.errno in (errno.ENOTDIR, errno.EEXIST):
        why = f"{e.strerror}: a part of the path is a file, not a directory"
    else:
        why = e.strerror or str(e)
    return InputError(option, str(path), "a writable path with free space",
                      problem=f"cannot be written ({doing}: {why})")


def lock_path(target: str | os.PathLike) -> Path:
    t = Path(target)
    return t.with_name(f".{t.name}.lock")


@contextmanager
def held(lock_file: Path, busy: Callable[[str], InputError]) -> Iterator[Path]:
    """Hold an exclusive `flock` on `lock_file` (opened, not created by the caller's parents),
    writing our pid into it; when another process holds it, raise `busy(its pid)`. The kernel
    drops the lock when its holder dies, SIGKILL included. The file stays (removing it would race
    with a new holder)."""
    f = open(lock_file, "a+")
    try:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.seek(0)
        pid = f.read().strip() or "?"
        f.close()
        raise busy(pid) from None
    try:
        f.seek(0)
        f.truncate()
        f.write(str(os.getpid()))
        f.flush()
        yield lock_file
    finally:
        fcntl.flock(f.fileno(), fcntl.LOCK_UN)
        f.close()


@contextmanager
def lock(target: str | os.PathLike, option: str) -> Iterator[Path]:
    """Hold the lock of `target` (a file or directory, which need not exist yet) in `.NAME.lock`
    beside it; refuse when another process holds it."""
    t = Path(target)
    lp = lock_path(t)
    try:
        lp.parent.mkdir(parents=True, exist_ok=True)
        lp.touch()
    except OSError as e:
        raise os_error(option, t, e, "creating its lock file") from None

    def busy(pid: str) -> InputError:
        return InputError(option, str(t), "a target no other umbrella process is writing (wait for it, "
                          "or choose another path)",
                          problem=f"is being written by another process (pid {pid}, lock {lp.name})")

    with held(lp, busy):
        yield lp


def tmp_name(path: str | os.PathLike) -> Path:
    p = Path(path)
    return p.with_name(f".{p.name}{TMP}{os.getpid()}")


def stale(path: str | os.PathLike) -> list[Path]:
    """Temporary files or directories left beside `path` by a writer that died (call with the
    lock held: no live writer then has one)."""
    p = Path(path)
    return sorted(p.parent.glob(f".{p.name}{TMP}*")) if p.parent.is_dir() else []


def discard(path: Path) -> None:
    """Remove a temporary file if it exists; never raises (its directory may be unwritable)."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def remove(path: Path) -> None:
    import shutil
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def fsync_file(path: str | os.PathLike) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def fsync_dir(path: str | os.PathLike) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def special(path: str | os.PathLike) -> bool:
    """True for an existing path that is not a regular file or directory (a device such as
    /dev/null, a FIFO, a socket, or a link to one): it is written through, never renamed over."""
    import stat
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def check_writable(path: str | os.PathLike, option: str) -> None:
    """Refuse before any work a file target that cannot be written (its directory missing or
    unwritable, a directory in its place): a long run must not end in a lost result. Probed by
    creating and removing the temporary name the write will use; devices and FIFOs pass."""
    p = Path(path)
    if special(p):
        return
    if p.is_dir():
        raise InputError(option, str(p), "a file path (this is a directory)", problem="cannot be written")
    tmp = tmp_name(Path(os.path.realpath(p)))
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.close(fd)
    except FileExistsError:
        return                  # our own name from a killed writer with this pid: writable
    except OSError as e:
        raise os_error(option, p, e, "checking it before the run") from None
    discard(tmp)


def write_with(path: str | os.PathLike, writer: Callable[[Path], object], option: str,
               parents: bool = True) -> Path:
    """Have `writer(tmp)` write the file under a temporary name beside `path`, then fsync and
    rename it into place: whole or not at all (figures, tables). An OSError is an InputError
    naming `option` and the path; a failed or interrupted writer leaves `path` as it was.
    `parents`: create missing directories (figures) or refuse (a `--json` target)."""
    p = Path(os.path.realpath(path))       # a symbolic link stays a link: its target is replaced
    if parents:
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise os_error(option, p, e) from None
    tmp = tmp_name(p)
    try:
        writer(tmp)
        fsync_file(tmp)
        os.replace(tmp, p)
    except OSError as e:
        discard(tmp)
        raise os_error(option, p, e) from None
    except BaseException:
        discard(tmp)
        raise
    return p


def write_text(path: str | os.PathLike, text: str, option: str) -> Path:
    """Write `text` to `path` whole or not at all (temporary name, fsync, rename); an OSError is
    an InputError naming `option` and the path."""
    p = Path(path)
    if special(p):      # /dev/null, /dev/stdout, a FIFO: written through, never replaced by a file
        try:
            with open(p, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as e:
            raise os_error(option, p, e) from None
        return p
    return write_with(p, lambda tmp: tmp.write_text(text, encoding="utf-8"), option, parents=False)
