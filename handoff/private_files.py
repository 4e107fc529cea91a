"""The one place that decides who may read the service's files on disk: only the service's user.

The SQLite databases hold what young people wrote, so every database file is created 0600 and
the folders made for them 0700, whatever the process's umask. SQLite gives its -wal and -shm
files the database file's mode, so they are private too. The project's own var/ folder is made
0700 even when it already exists (a clone or an older run may have made it 0755); any other
folder that already exists is left as its owner set it (it may be /tmp).

Callers: the cases database (handoff/db.py), the tracker store's database in the Rasa process
(handoff/rasa_server.py) and in the console (handoff/tracker_events.py), and the local Rasa API
token file (handoff/rasa_api.py). The outbox keeps its own 0700/0600 rule (handoff/outbox.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

PROJECT_VAR = Path(__file__).resolve().parent.parent / "var"
DIRECTORY_MODE = 0o700
FILE_MODE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_directory(path: str | Path) -> Path:
    """Makes the folder (and any missing parents) 0700; leaves an existing one alone unless it is
    the project's var/."""
    path = Path(path)
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    path.mkdir(parents=True, exist_ok=True)
    for folder in missing:
        os.chmod(folder, DIRECTORY_MODE)
    if path.resolve() == PROJECT_VAR.resolve():
        os.chmod(path, DIRECTORY_MODE)
    return path


def private_file(path: str | Path) -> Path:
    """Creates the file 0600 if it is missing (never truncating it) and makes it 0600 if not."""
    path = Path(path)
    private_directory(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    os.chmod(path, FILE_MODE)
    return path


def write_private(path: str | Path, text: str) -> Path:
    """Writes a small secret file (0600 from its first byte)."""
    path = private_file(path)
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)
    return path


def private_sqlite(url: str) -> None:
    """Before SQLite opens a database file: creates it 0600 in a private folder. Other databases
    (PostgreSQL) and in-memory SQLite are left alone."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return
    database = Path(parsed.database)
    private_file(database)
    for suffix in SQLITE_COMPANIONS:
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            os.chmod(companion, FILE_MODE)
