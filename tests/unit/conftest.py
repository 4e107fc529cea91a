"""Every unit test gets a cases database of its own: the actions count chat turns
(handoff/statistics.py), and no test may write to var/handoff.db."""

import pytest

from actions.escalation import case_store  # the real one (tests may monkeypatch the module's)


@pytest.fixture(autouse=True)
def own_cases_database(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'handoff.db'}"
    monkeypatch.setenv("HANDOFF_DB_URL", url)
    case_store.cache_clear()
    yield url
    case_store.cache_clear()
