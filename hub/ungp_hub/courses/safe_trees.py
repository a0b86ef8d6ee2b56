"""Whole trees of user-writable folders: copied out to the hub, copied in, handed over.

Built on ``safe_files`` (no link followed, plain files with one link only): what a copy or a
hand-over leaves out is returned as :class:`Skipped`, so the caller can say which files (a
link, a FIFO, a hard link, a file over the budget) were not used and why.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .safe_files import (
    DIRECTORY,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_FILES,
    RefusedFile,
    entries,
    open_dir,
    open_plain,
    parts_of,
    refusal,
    remove,
)


@dataclass(frozen=True)
class Skipped:
    """A file left out of a copy, and why (shown in the grading status and the log)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class _Budget:
    """What a copy may still take: bytes in all, and files (a folder of a million files)."""

    bytes: int
    files: int

    def take(self, path: PurePosixPath, size: int, skipped: list[Skipped]) -> bool:
        if self.files <= 0:
            skipped.append(Skipped(str(path), f"over the {MAX_FILES} files a copy may hold"))
            return False
        if size > self.bytes:
            skipped.append(Skipped(str(path), "over the size a copy may hold"))
            return False
        self.files -= 1
        self.bytes -= size
        return True


def copy_out(
    root: Path,
    relative: str | PurePosixPath,
    target: Path,
    skip_names: tuple[str, ...] = (),
    limit: int = MAX_FILE_BYTES,
) -> list[Skipped]:
    """Copy the regular files of ROOT/RELATIVE into TARGET, a folder only the hub writes.

    Links, FIFOs, sockets, devices and hard-linked files are left out and returned with the
    reason; so are names ending in one of ``skip_names``, and files beyond LIMIT bytes or
    MAX_FILES files in all. Raises RefusedFile if ROOT/RELATIVE itself is reached through a
    link, FileNotFoundError if it does not exist.
    """
    skipped: list[Skipped] = []
    budget = _Budget(limit, MAX_FILES)
    with open_dir(root, relative) as top:
        _copy_out(top, PurePosixPath(), Path(target), skip_names, budget, skipped, 0)
    return skipped


def _copy_out(
    fd: int,
    here: PurePosixPath,
    target: Path,
    skip_names: tuple[str, ...],
    budget: _Budget,
    skipped: list[Skipped],
    depth: int,
) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in entries(fd):
        path = here / entry.name
        if skip_names and entry.name.endswith(skip_names):
            continue
        if entry.is_dir(follow_symlinks=False):
            if depth >= MAX_DEPTH:
                skipped.append(Skipped(str(path), f"nested deeper than {MAX_DEPTH} folders"))
                continue
            try:
                sub = os.open(entry.name, DIRECTORY, dir_fd=fd)
            except OSError as error:
                refused = refusal(str(path), error, entry.name, fd)
                skipped.append(Skipped(str(path), _reason(str(refused))))
                continue
            try:
                _copy_out(sub, path, target / entry.name, skip_names, budget, skipped, depth + 1)
            finally:
                os.close(sub)
            continue
        try:
            source = open_plain(entry.name, fd, str(path))
        except RefusedFile as error:
            skipped.append(Skipped(str(path), _reason(str(error))))
            continue
        except FileNotFoundError:
            continue  # removed meanwhile
        with os.fdopen(source, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if not budget.take(path, size, skipped):
                continue
            with open(target / entry.name, "xb") as out:
                copied = _copy_at_most(handle, out, size)
            if copied > size:  # grew while copied: what it is now was not counted
                (target / entry.name).unlink()
                skipped.append(Skipped(str(path), "changed while copied"))


def _copy_at_most(source, out, size: int) -> int:  # noqa: ANN001 - binary files
    """Copy SIZE bytes; one more if there are more (the caller then drops the copy)."""
    left = size + 1
    while left > 0:
        block = source.read(min(left, 1 << 20))
        if not block:
            break
        out.write(block)
        left -= len(block)
    return size + 1 - left


def _reason(message: str) -> str:
    """'a symbolic link' etc. from a RefusedFile message (the path is said separately)."""
    kept = message.split(" is ", 1)[-1]
    return kept.split(";", 1)[0]


def copy_in(
    source: Path, root: Path, relative: str | PurePosixPath, owner: int | None = None
) -> None:
    """Replace ROOT/RELATIVE by a copy of SOURCE, a folder tree only the hub writes.

    Whatever was at ROOT/RELATIVE (a folder, a file, a planted link) is removed first, the
    folders are made fresh and every file is created exclusively, so nothing is written
    through a link an instructor puts there meanwhile. ``owner``: uid/gid of what is made.
    """
    parts = parts_of(relative)
    if not parts:
        raise RefusedFile("copy_in needs a folder below the root")
    remove(root, relative)
    parent = PurePosixPath(*parts[:-1]) if len(parts) > 1 else ""
    with open_dir(root, parent, create=True) as folder:
        os.mkdir(parts[-1], 0o755, dir_fd=folder)
        fd = os.open(parts[-1], DIRECTORY, dir_fd=folder)
    try:
        _copy_in(Path(source), fd, owner)
    finally:
        os.close(fd)


def _copy_in(source: Path, fd: int, owner: int | None) -> None:
    if owner is not None:
        os.fchown(fd, owner, owner)
    for path in sorted(source.iterdir()):
        if path.is_dir() and not path.is_symlink():
            os.mkdir(path.name, 0o755, dir_fd=fd)
            sub = os.open(path.name, DIRECTORY, dir_fd=fd)
            try:
                _copy_in(path, sub, owner)
            finally:
                os.close(sub)
        elif path.is_file() and not path.is_symlink():
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            mode = stat.S_IMODE(path.stat().st_mode) & 0o755 | 0o644
            out = os.open(path.name, flags, mode, dir_fd=fd)
            with os.fdopen(out, "wb") as handle, open(path, "rb") as data:
                shutil.copyfileobj(data, handle)
                if owner is not None:
                    os.fchown(handle.fileno(), owner, owner)


def hand_over(folder: Path, uid: int, gid: int) -> list[Skipped]:
    """Give FOLDER's tree to uid:gid, never a file outside it.

    Folders and plain files with one link are opened without following links and changed
    through their descriptor; links are changed themselves (``lchown``), and hard-linked
    files and special files are left alone (a hard link to the issuer key would otherwise
    hand the key itself over).
    """
    skipped: list[Skipped] = []
    with open_dir(folder) as top:
        os.fchown(top, uid, gid)
        _hand_over(top, PurePosixPath(), uid, gid, skipped, 0)
    return skipped


def _hand_over(
    fd: int, here: PurePosixPath, uid: int, gid: int, skipped: list[Skipped], depth: int
) -> None:
    for entry in entries(fd):
        path = here / entry.name
        if entry.is_symlink():
            os.chown(entry.name, uid, gid, dir_fd=fd, follow_symlinks=False)
            continue
        if entry.is_dir(follow_symlinks=False):
            try:
                sub = os.open(entry.name, DIRECTORY, dir_fd=fd)
            except OSError as error:
                refused = refusal(str(path), error, entry.name, fd)
                skipped.append(Skipped(str(path), _reason(str(refused))))
                continue
            try:
                os.fchown(sub, uid, gid)
                if depth < MAX_DEPTH:
                    _hand_over(sub, path, uid, gid, skipped, depth + 1)
            finally:
                os.close(sub)
            continue
        try:
            opened = open_plain(entry.name, fd, str(path))
        except RefusedFile as error:
            skipped.append(Skipped(str(path), _reason(str(error))))
            continue
        except FileNotFoundError:
            continue
        try:
            os.fchown(opened, uid, gid)
        finally:
            os.close(opened)
