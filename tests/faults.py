"""Faults the tests cause for real: a file nobody, root included, can write."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest


@contextlib.contextmanager
def read_only(path: Path):
    """The file becomes unwritable for this process's user, root included (chattr +i)."""
    if os.geteuid() == 0:
        if not shutil.which("chattr"):
            pytest.fail("chattr is needed to make a file read-only for root (e2fsprogs)")
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if made.returncode != 0:
            pytest.fail(f"could not make {path} read-only: {made.stderr.strip()}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(mode)
