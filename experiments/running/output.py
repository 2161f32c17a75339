"""Writing results: every file is written to a temporary name and renamed into place."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` then rename tmp over ``path``: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_json(path: Path, data: Any) -> None:
    atomic_write(path, lambda p: p.write_text(json.dumps(data, indent=2, ensure_ascii=False,
                                                         default=str) + "\n"))


def write_frame(directory: Path, name: str, frame: pd.DataFrame) -> list[Path]:
    """``name``.csv and ``name``.parquet, each written atomically."""
    csv, parquet = directory / f"{name}.csv", directory / f"{name}.parquet"
    atomic_write(csv, lambda p: frame.to_csv(p, index=False))
    atomic_write(parquet, lambda p: frame.to_parquet(p, index=False))
    return [csv, parquet]


def versions() -> dict[str, str]:
    """Versions of Python, Linli and its main dependencies, and the git revision if any."""
    found = {"python": platform.python_version()}
    for package in ("linli", "mesa", "numpy", "pandas", "pydantic", "pyarrow"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    try:
        rev = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                             cwd=Path(__file__).parent, timeout=5)
        if rev.returncode == 0:
            found["git"] = rev.stdout.strip()
            dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                                   capture_output=True, text=True, timeout=5,
                                   cwd=Path(__file__).parent)
            found["git_dirty"] = str(bool(dirty.stdout.strip())).lower()
    except (OSError, subprocess.SubprocessError):
        pass
    return found
