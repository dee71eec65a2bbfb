"""Where an import's files come from: paths, folders, zip archives and uploads, as items to read.

Folders are walked recursively, sorted, with hidden files and folders (and `__MACOSX`) skipped.
A zip is checked against NEWSREVIEW_MAX_ZIP_MEMBERS and NEWSREVIEW_MAX_ZIP_UNCOMPRESSED_BYTES
before anything in it is read; its members share a budget of bytes that reading charges.
"""

import os
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings

FORMATS = (".txt", ".json", ".jsonl")


@dataclass
class Item:
    """One file to read: on disk, in a zip, or uploaded."""

    name: str
    open: Callable[[], IO[bytes]]
    size: int | None = None
    folders: tuple[str, ...] = ()
    budget: list[int] | None = (
        None  # bytes a zip may still unpack, shared by its members
    )
    # The member's path inside its zip ("" for a file on disk or uploaded): a zip's name is
    # part of `name`, never of the article's id (issue 14: the same file in batch-a.zip and
    # batch-b.zip is the same article).
    member: str = ""

    @cached_property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()

    @cached_property
    def stem(self) -> str:
        return PurePosixPath((self.member or self.name).replace("\\", "/")).stem


@dataclass
class Failed:
    """A file refused before reading it; `reason` is what the user reads."""

    name: str
    reason: str


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def count_files(path: Path) -> int:
    """The number of files at `path`, for progress reports: a zip's members count one by one
    (as the import reads them; its central directory is read, nothing is unpacked)."""
    if path.is_dir():
        return sum(count_files(file) for _, file in _walk(path))
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as zipped:
                return max(1, sum(1 for m in zipped.infolist() if _counted(m)))
        except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, ValueError):
            return 1  # refused as one file when it is read
    return 1


def _counted(member: zipfile.ZipInfo) -> bool:
    """Whether _items_from_zip() yields something for `member` (an item, or a refusal)."""
    parts = PurePosixPath(member.filename.replace("\\", "/")).parts
    if member.is_dir() or not all(_visible(part) for part in parts):
        return False
    return _suffix(parts[-1]).lower() in (*FORMATS, ".zip") if parts else False


def items_from_path(path: Path) -> Iterator[Item | Failed]:
    """The files of a file, a folder (recursively) or a zip archive on disk."""
    if path.is_dir():
        root = path.resolve().name
        for folders, file in _walk(path):
            yield from _items_from_file(file, name=str(file), folders=(root, *folders))
    elif path.is_file():
        yield from _items_from_file(
            path, name=str(path), folders=(path.resolve().parent.name,)
        )
    else:
        yield Failed(str(path), "no such file or directory")


def items_from_saved_upload(path: Path) -> Iterator[Item | Failed]:
    """The files of an upload saved for a background import (articles.jobs.uploads), named as
    the upload was (its file name, and a zip's members under it)."""
    yield from _items_from_file(path, name=path.name, folders=())


def _visible(name: str) -> bool:
    return not name.startswith(".") and name != "__MACOSX"


def _walk(directory: Path) -> Iterator[tuple[tuple[str, ...], Path]]:
    """(folders below `directory`, file) of every importable file, sorted, hidden ones skipped."""
    for root, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if _visible(d))
        # One Path per folder and per file: pathlib's parsing was a fifth of the writing
        # process's time when it ran five times per file.
        root_path = Path(root)
        folders = root_path.parts[len(directory.parts) :]
        for filename in sorted(filenames):
            if _visible(filename) and _suffix(filename).lower() in (*FORMATS, ".zip"):
                yield folders, root_path / filename


def _suffix(filename: str) -> str:
    """Path(filename).suffix of a name without slashes, without making a Path."""
    dot = filename.rfind(".")
    return filename[dot:] if 0 < dot < len(filename) - 1 else ""


def _items_from_file(
    path: Path, *, name: str, folders: tuple[str, ...]
) -> Iterator[Item | Failed]:
    suffix = path.suffix.lower()
    if suffix == ".zip":
        try:
            with path.open("rb") as archive:
                yield from _items_from_zip(archive, name=name)
        except OSError as error:
            yield Failed(name, f"could not read the file ({error.strerror or error})")
    elif suffix in FORMATS:
        try:
            size = path.stat().st_size
        except OSError:
            size = None
        yield Item(name, open=lambda: path.open("rb"), size=size, folders=folders)
    else:
        yield Failed(name, _unsupported(suffix))


def _unsupported(suffix: str) -> str:
    shown = f"'{suffix}'" if suffix else "without an extension"
    return f"unsupported file type {shown} (expected .txt, .json, .jsonl or .zip)"


def _items_from_zip(archive: IO[bytes], *, name: str) -> Iterator[Item | Failed]:
    try:
        zipped = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        yield Failed(name, "not a valid zip archive")
        return
    with zipped:
        members = zipped.infolist()
        max_members = settings.NEWSREVIEW_MAX_ZIP_MEMBERS
        if len(members) > max_members:
            yield Failed(
                name,
                f"zip has {len(members):,} members, more than the limit of {max_members:,}",
            )
            return
        declared = sum(member.file_size for member in members)
        max_bytes = settings.NEWSREVIEW_MAX_ZIP_UNCOMPRESSED_BYTES
        if declared > max_bytes:
            yield Failed(
                name,
                f"zip would unpack to {human_size(declared)}, more than the limit of {human_size(max_bytes)}",
            )
            return
        # Declared sizes can lie; reading a member also counts the bytes it unpacks against this.
        budget = [max_bytes]
        for member in sorted(members, key=lambda m: m.filename):
            path = member.filename.replace("\\", "/")
            parts = PurePosixPath(path).parts
            member_name = f"{name}:{path}"
            if path.startswith("/") or ".." in parts or re.match(r"^[A-Za-z]:", path):
                yield Failed(
                    member_name,
                    "unsafe path in zip (absolute or containing '..'); skipped",
                )
                continue
            if member.is_dir() or not all(_visible(part) for part in parts):
                continue
            suffix = PurePosixPath(path).suffix.lower()
            if suffix == ".zip":
                yield Failed(
                    member_name, "zip inside a zip is not imported; unpack it first"
                )
            elif suffix in FORMATS:
                yield Item(
                    member_name,
                    open=lambda member=member: zipped.open(member),
                    size=member.file_size,
                    folders=parts[:-1],
                    budget=budget,
                    member=path,
                )
