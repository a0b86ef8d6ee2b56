"""Reading and writing folders that instructors or trainees control, from the hub host.

A course folder is mounted read-write in its instructors' containers, so every name in it
may be a symbolic link (to the issuer key, the hub database), a FIFO (whose ``open`` blocks
for ever), a hard link to a file the hub must not hand out, or a file of any size. The hub
reaches those folders as root; a path-based ``open``, ``shutil.copy`` or ``os.chown`` would
act on whatever the name points to at that moment.

So every function here walks from a folder the hub trusts one component at a time with
directory file descriptors (``O_NOFOLLOW``: a link anywhere on the way is refused, not
followed), opens files ``O_NOFOLLOW | O_NONBLOCK`` and accepts only regular files with one
link (checked with ``fstat`` on what was opened, so swapping the name afterwards changes
nothing), and writes through a new file renamed into place (a rename replaces a planted link
instead of writing through it). What is refused raises :class:`RefusedFile`; copying and
handing over whole trees is in ``safe_trees``, which reports what it left out.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from ..errors import UserError

DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
MAX_DEPTH = 12
MAX_FILE_BYTES = 256 << 20  # a file the hub reads, or a tree it copies, from a course folder
MAX_FILES = 10_000  # files in one copied tree
REFUSED_ERRNOS = (errno.ELOOP, errno.ENOTDIR, errno.ENXIO, errno.EMLINK)


class RefusedFile(UserError):
    """A name in a user-writable folder that the hub will not follow, open or replace."""

    status = 422


def parts_of(relative: str | PurePosixPath) -> list[str]:
    parts = [p for p in PurePosixPath(relative).parts if p not in ("", ".")]
    if any(p in ("..", "/") or "\0" in p for p in parts):
        raise RefusedFile(f"{relative}: absolute paths and '..' are not accepted")
    return parts


def refusal(where: str, error: OSError, name: str = "", dir_fd: int | None = None) -> RefusedFile:
    if error.errno == errno.ENOTDIR and name:  # O_DIRECTORY wins over O_NOFOLLOW: look again
        try:
            if stat.S_ISLNK(os.lstat(name, dir_fd=dir_fd).st_mode):
                error = OSError(errno.ELOOP, "")
        except OSError:
            pass
    if error.errno in (errno.ELOOP, errno.EMLINK):
        why = "is a symbolic link"
    elif error.errno == errno.ENOTDIR:
        why = "is not a folder"
    elif error.errno == errno.ENXIO:
        why = "is not a regular file"
    else:
        why = f"cannot be opened ({error.strerror})"
    return RefusedFile(f"{where} {why}; the hub follows no links in course folders")


def kind_refused(mode: int, links: int) -> str:
    """Why a file with this ``st_mode`` and ``st_nlink`` is refused, or '' if it is not."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if not stat.S_ISREG(mode):
        return "not a regular file (a FIFO, socket or device)"
    if links != 1:
        return "a hard link (another name of the same file exists)"
    return ""


@contextmanager
def open_dir(root: Path, relative: str | PurePosixPath = "", create: bool = False) -> Iterator[int]:
    """A descriptor of ROOT/RELATIVE, reached without following a link at any step.

    ROOT itself must not be a link (its parents are the hub's own). ``create``: make missing
    folders (mode 0755) on the way.
    """
    where = Path(root)
    try:
        fd = os.open(root, DIRECTORY)
    except OSError as error:
        if error.errno == errno.ENOENT and not create:
            raise
        if error.errno != errno.ENOENT:
            raise refusal(str(where), error) from None
        Path(root).mkdir(parents=True, exist_ok=True)
        fd = os.open(root, DIRECTORY)
    try:
        for part in parts_of(relative):
            where = where / part
            try:
                step = os.open(part, DIRECTORY, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                try:
                    os.mkdir(part, 0o755, dir_fd=fd)
                except FileExistsError:
                    pass  # made meanwhile (or a link: the open below refuses it)
                try:
                    step = os.open(part, DIRECTORY, dir_fd=fd)
                except OSError as error:
                    raise refusal(str(where), error, part, fd) from None
            except OSError as error:
                raise refusal(str(where), error, part, fd) from None
            os.close(fd)
            fd = step
        yield fd
    finally:
        os.close(fd)


def open_plain(name: str, dir_fd: int, where: str, flags: int = READ, mode: int = 0o644) -> int:
    try:
        fd = os.open(name, flags, mode, dir_fd=dir_fd)
    except FileNotFoundError:
        raise
    except OSError as error:
        if error.errno in REFUSED_ERRNOS:
            raise refusal(where, error) from None
        raise
    info = os.fstat(fd)
    why = kind_refused(info.st_mode, info.st_nlink)
    if why:
        os.close(fd)
        raise RefusedFile(f"{where} is {why}; the hub opens only plain files in course folders")
    return fd


def read_bytes(root: Path, relative: str | PurePosixPath, limit: int = MAX_FILE_BYTES) -> bytes:
    """The content of a regular file ROOT/RELATIVE; FileNotFoundError if there is none."""
    parts = parts_of(relative)
    if not parts:
        raise RefusedFile(f"{root}: a folder, not a file")
    where = str(Path(root, *parts))
    with open_dir(root, PurePosixPath(*parts[:-1]) if len(parts) > 1 else "") as folder:
        fd = open_plain(parts[-1], folder, where)
    with os.fdopen(fd, "rb") as handle:
        if os.fstat(handle.fileno()).st_size > limit:
            raise RefusedFile(f"{where} is larger than {limit >> 20} MiB")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise RefusedFile(f"{where} is larger than {limit >> 20} MiB")
    return data


def read_text(root: Path, relative: str | PurePosixPath, limit: int = MAX_FILE_BYTES) -> str:
    return read_bytes(root, relative, limit).decode("utf-8", errors="replace")


def write_bytes(
    root: Path, relative: str | PurePosixPath, data: bytes, owner: int | None = None
) -> None:
    """Put DATA at ROOT/RELATIVE atomically: a new file renamed over whatever the name was.

    A link planted under the name is replaced, never written through; ``owner``: the uid and
    gid the new file gets (when the hub runs as root).
    """
    parts = parts_of(relative)
    parent = PurePosixPath(*parts[:-1]) if len(parts) > 1 else ""
    with open_dir(root, parent, create=True) as folder:
        temporary = f".{parts[-1]}.{secrets.token_hex(6)}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(temporary, flags, 0o644, dir_fd=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if owner is not None:
                    os.fchown(handle.fileno(), owner, owner)
            os.replace(temporary, parts[-1], src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            try:
                os.unlink(temporary, dir_fd=folder)
            except FileNotFoundError:
                pass
            raise


def open_lock(root: Path, relative: str | PurePosixPath) -> int:
    """A descriptor of a lock file (made if missing) that is a plain file, for ``flock``."""
    parts = parts_of(relative)
    parent = PurePosixPath(*parts[:-1]) if len(parts) > 1 else ""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    with open_dir(root, parent, create=True) as folder:
        return open_plain(parts[-1], folder, str(Path(root, *parts)), flags)


def check_plain(path: Path, missing_ok: bool = True) -> None:
    """Refuse PATH if it is a link, not a regular file, or has other hard links.

    For files that a library opens by name (SQLite's gradebook): a check, not a guarantee,
    since the name can change after it; callers that can open the file themselves use
    :func:`read_bytes` instead.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if missing_ok:
            return
        raise
    why = kind_refused(info.st_mode, info.st_nlink)
    if why:
        raise RefusedFile(f"{path} is {why}; the hub opens only plain files in course folders")


def remove(root: Path, relative: str | PurePosixPath) -> None:
    """Delete ROOT/RELATIVE (a file, a link itself, or a folder tree); nothing outside it."""
    parts = parts_of(relative)
    parent = PurePosixPath(*parts[:-1]) if len(parts) > 1 else ""
    try:
        with open_dir(root, parent) as folder:
            try:
                info = os.lstat(parts[-1], dir_fd=folder)
            except FileNotFoundError:
                return
            if stat.S_ISDIR(info.st_mode):
                shutil.rmtree(parts[-1], dir_fd=folder)  # fd-based: follows no link
            else:
                os.unlink(parts[-1], dir_fd=folder)
    except FileNotFoundError:
        return


def entries(fd: int) -> list[os.DirEntry]:
    with os.scandir(fd) as found:
        return sorted(found, key=lambda e: e.name)


def subfolders(root: Path, relative: str | PurePosixPath) -> list[str]:
    """Names of the real folders (not links to folders) in ROOT/RELATIVE; [] if it is missing."""
    try:
        with open_dir(root, relative) as fd:
            return [e.name for e in entries(fd) if e.is_dir(follow_symlinks=False)]
    except FileNotFoundError:
        return []


def file_names(root: Path, relative: str | PurePosixPath) -> list[str]:
    """Names of the plain files (by lstat) in ROOT/RELATIVE; [] if it is missing."""
    try:
        with open_dir(root, relative) as fd:
            return [e.name for e in entries(fd) if e.is_file(follow_symlinks=False)]
    except FileNotFoundError:
        return []


SQLITE_SIDE_FILES = ("", "-journal", "-wal", "-shm")


def check_sqlite_url(url: str) -> None:
    """Refuse a SQLite database (or a journal beside it) that is a link or a special file.

    SQLite opens the database and its journals by name (following links, and truncating a
    ``-shm`` file it locks first), so this is a check just before opening, not a guarantee
    (docs/security.md: gradebooks are the remaining risk). Other databases pass.
    """
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return
    database = Path(url[len(prefix) :].split("?", 1)[0])
    for suffix in SQLITE_SIDE_FILES:
        check_plain(database.with_name(database.name + suffix))


def rename(root: Path, relative: str | PurePosixPath, new_name: str) -> None:
    """Rename ROOT/RELATIVE to NEW_NAME in the same folder (a link is renamed, not followed)."""
    parts = parts_of(relative)
    parts_of(new_name)
    parent = PurePosixPath(*parts[:-1]) if len(parts) > 1 else ""
    with open_dir(root, parent) as folder:
        os.rename(parts[-1], new_name, src_dir_fd=folder, dst_dir_fd=folder)
