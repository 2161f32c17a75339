"""The one output-directory guard: every command claims its ``--out`` before any work.

``claim(out, command, key)`` refuses (``OutputError``, one line naming the path) when ``out``
is a file, cannot be created or written, or is a non-empty directory holding something other
than this command's earlier output for the same ``key`` (a scenario, a comparison, a store),
unless ``overwrite``. It creates the directory and marks it (``.linli-output.json``), so the
next claim knows whose output it holds. ``check_file`` does the same for one output file.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

MARKER = ".linli-output.json"


class OutputError(ValueError):
    """An output path cannot be used; the message names it and says what to do."""


def claim(out: Path, command: str, key: str, *, overwrite: bool = False,
          own: Callable[[Path], bool] | None = None, mark: bool = True) -> None:
    """Make ``out`` ready for ``command``'s output about ``key``, or raise OutputError.

    ``own(out)`` may recognise the command's earlier output in a directory without a marker
    (a sweep store, analyses written before markers); a marked directory is ours when
    command and key match. ``mark=False`` for output that identifies itself (a store's
    spec.json), so a directory refused later is left as it was.
    """
    _creatable(out)
    if out.is_dir() and not overwrite:
        holder = _holder(out)
        mine = holder == {"command": command, "key": key} or (own is not None and own(out))
        if not mine and any(out.iterdir()):
            what = (f"the output of `linli {holder['command']}` for {holder['key']}"
                    if holder else f"other files ({_some(out)})")
            raise OutputError(f"{out} already holds {what}; choose another --out, or give "
                              "--overwrite to write into it anyway")
    _writable(out)
    if mark:
        _mark(out, command, key)


@contextlib.contextmanager
def claimed(out: Path, command: str, key: str, *, overwrite: bool = False,
            own: Callable[[Path], bool] | None = None, mark: bool = True) -> Iterator[Path]:
    """``claim`` for the duration of a command: if the command fails before writing
    anything, the folders the claim created are removed again."""
    created = [p for p in (out, *out.parents) if not p.exists()]
    claim(out, command, key, overwrite=overwrite, own=own, mark=mark)
    try:
        yield out
    except BaseException:
        if created and out.is_dir() and all(p.name == MARKER for p in out.iterdir()):
            (out / MARKER).unlink(missing_ok=True)
            for folder in created:  # innermost first; stops at the first non-empty one
                try:
                    folder.rmdir()
                except OSError:
                    break
        raise


def check_file(path: Path, suffixes: tuple[str, ...]) -> None:
    """An output file: the right suffix, not a directory, in a folder we can write."""
    if path.suffix not in suffixes:
        raise OutputError(f"--out must end in {' or '.join(suffixes)} (got {path.name})")
    if path.is_dir():
        raise OutputError(f"--out {path} is a directory; give a file name")
    _creatable(path.parent)
    _writable(path.parent)


def _creatable(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out} is a file, not a directory; give a directory")
    for parent in out.parents:  # the nearest existing folder must be a folder
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"cannot create {out}: {parent} is a file")
            break


def _writable(out: Path) -> None:
    """Create ``out`` and a probe file in it (permissions, read-only disks, quotas)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".probe.", suffix=".tmp", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise OutputError(f"cannot write to {out}: {err.strerror or err}") from None


def _holder(out: Path) -> dict[str, str] | None:
    with contextlib.suppress(OSError, ValueError):
        data = json.loads((out / MARKER).read_text(encoding="utf-8"))
        if isinstance(data, dict) and {"command", "key"} <= data.keys():
            return {"command": str(data["command"]), "key": str(data["key"])}
    return None


def _mark(out: Path, command: str, key: str) -> None:
    from .output import write_json

    try:
        write_json(out / MARKER, {"command": command, "key": key})
    except OSError as err:
        raise OutputError(f"cannot write to {out}: {err.strerror or err}") from None


def _some(out: Path) -> str:
    names = sorted(p.name for p in out.iterdir())
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
