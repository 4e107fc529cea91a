"""docs/contracts.md, the repository's copy of the fixed contracts, names the reason codes and
handoff statuses the code uses, and nothing else."""

import re

from handoff.store import OPEN_STATUSES
from safeguarding.reasons import REASON_CODES
from tests.servers import ROOT

CONTRACTS = (ROOT / "docs" / "contracts.md").read_text()


def test_the_reason_codes_are_the_fixed_vocabulary():
    codes = re.findall(r"^\| `(\w+)` \|", CONTRACTS, re.M)
    assert len(codes) == len(set(codes)) and set(codes) == set(REASON_CODES)


def test_the_handoff_statuses_are_those_of_an_open_case():
    signal = CONTRACTS[CONTRACTS.index("**Handoff signal**") : CONTRACTS.index("**Reason codes**")]
    named = re.findall(r"`(\w+)`\s+\(", signal)
    assert set(named) == set(OPEN_STATUSES)
