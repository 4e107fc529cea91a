"""Files on disk are the service's user's alone: the SQLite databases (and SQLite's -wal and -shm
beside them) 0600, the folders made for them and the project's var/ 0700, whatever the umask;
Rasa's API token never on a command line. Real SQLite files under a permissive umask."""

from __future__ import annotations

import os
import stat

import pytest
import sqlalchemy as sa

import handoff.private_files as private_files
import handoff.rasa_api as rasa_api
from handoff.rasa_server import rasa_arguments
from handoff.store import CaseStore
from handoff.tracker_events import TrackerEvents


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def permissive_umask():
    """The usual umask (022) would make files 0644 and folders 0755 if nothing set them."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_the_cases_database_and_its_new_folders_are_private_from_the_start(tmp_path):
    folder = tmp_path / "var" / "deeper"
    store = CaseStore(f"sqlite:///{folder / 'handoff.db'}")
    with store.engine.connect() as db:  # while a connection is open SQLite keeps -wal and -shm
        store.escalate("c1", ["grooming"], "high", "queued", None, "dorset", ["hi"], [])
        db.execute(sa.text("SELECT count(*) FROM cases")).scalar_one()
        assert mode(folder / "handoff.db") == 0o600
        assert mode(folder / "handoff.db-wal") == mode(folder / "handoff.db-shm") == 0o600
    assert mode(folder) == mode(tmp_path / "var") == 0o700


def test_an_existing_folder_is_left_alone_but_the_projects_var_is_made_private(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    private_files.private_sqlite(f"sqlite:///{shared / 'a.db'}")
    assert mode(shared) == 0o755 and mode(shared / "a.db") == 0o600
    project_var = tmp_path / "var"
    project_var.mkdir()
    os.chmod(project_var, 0o755)
    monkeypatch.setattr(private_files, "PROJECT_VAR", project_var)
    private_files.private_sqlite(f"sqlite:///{project_var / 'handoff.db'}")
    assert mode(project_var) == 0o700


def test_a_database_made_readable_by_others_is_made_private_again(tmp_path):
    path = tmp_path / "tracker.db"
    rasa = sa.create_engine(f"sqlite:///{path}", future=True)  # as an older Rasa made it: 0644, in WAL mode
    with rasa.connect() as db:
        db.execute(sa.text("PRAGMA journal_mode=WAL"))
        db.execute(sa.text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, data TEXT)"))
        db.commit()
        files = [path, *tmp_path.glob("tracker.db-*")]
        assert len(files) == 3  # the database, -wal and -shm while a connection is open
        for file in files:
            os.chmod(file, 0o644)
        TrackerEvents(f"sqlite:///{path}")  # the console opening the tracker store
        assert [mode(file) for file in files] == [0o600] * 3


def test_reading_a_tracker_store_that_does_not_exist_yet_creates_it_private(tmp_path):
    path = tmp_path / "new" / "tracker.db"
    TrackerEvents(f"sqlite:///{path}")
    assert mode(path) == 0o600 and mode(path.parent) == 0o700


def test_postgresql_and_in_memory_urls_are_left_alone(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    private_files.private_sqlite("postgresql://rasa@127.0.0.1:5432/rasa")
    private_files.private_sqlite("sqlite://")
    private_files.private_sqlite("sqlite:///:memory:")
    assert list(tmp_path.iterdir()) == []


def test_the_local_api_token_file_is_private(tmp_path, monkeypatch):
    monkeypatch.setattr(rasa_api, "LOCAL_TOKEN_FILE", tmp_path / "var" / "rasa_api_token")
    monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    token = rasa_api.new_local_token()
    assert len(token) == 64 and mode(rasa_api.LOCAL_TOKEN_FILE) == 0o600
    assert mode(tmp_path / "var") == 0o700
    assert rasa_api.configured_token({}) == token
    assert rasa_api.configured_token({"RASA_API_TOKEN": "from-the-env"}) == "from-the-env"


def test_rasa_gets_its_api_token_from_the_environment_never_the_command_line():
    args = ["run", "--model", "models", "--enable-api"]
    assert rasa_arguments(args, {"RASA_API_TOKEN": "-starts-with-a-dash"}) == [
        *args,
        "--auth-token=-starts-with-a-dash",
    ]
    assert rasa_arguments(["run"], {"RASA_API_TOKEN": "secret"}) == ["run"]  # no API, no token
    with pytest.raises(SystemExit, match="never opened without a token"):
        rasa_arguments(args, {"RASA_API_TOKEN": ""})
    for leaky in (["--auth-token", "secret"], ["--auth-token=secret"], ["-t", "secret"]):
        with pytest.raises(SystemExit, match="not on the command line"):
            rasa_arguments([*args, *leaky], {"RASA_API_TOKEN": "secret"})


def test_make_run_starts_rasa_through_the_launcher_and_never_puts_the_token_on_a_command_line():
    script = (private_files.PROJECT_VAR.parent / "deploy" / "run_local.sh").read_text()
    assert '"$VENV/python" -m handoff.rasa_server run' in script and "--enable-api" in script
    assert "--auth-token" not in script and '"$VENV/rasa" run' not in script
