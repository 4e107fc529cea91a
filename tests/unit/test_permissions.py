"""Who may do what to a case, and when (handoff/permissions.py): the rules staff work by."""

from dataclasses import replace
from datetime import datetime, timezone
from itertools import product

import pytest

from handoff.permissions import (
    OFF_DUTY,
    NotAllowed,
    account_change_refusal,
    case_actions,
    claim_refusal,
    close_refusal,
    hand_back_refusal,
    may_supervise,
    may_view,
    note_refusal,
    reply_refusal,
    require,
)
from handoff.staff import StaffMember
from handoff.store import Case

OPENED = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)
NAMES = {1: "Alex", 2: "Bo", 3: "Sue"}


def member(staff_id: int, role: str = "agent", on_duty: bool = True) -> StaffMember:
    return StaffMember(staff_id, NAMES[staff_id].lower(), NAMES[staff_id], role, True, on_duty, None, OPENED)


ALEX = member(1)  # an agent
BO = member(2)  # another agent
SUE = member(3, "supervisor")


def case(status: str = "queued", claimed_by: int | None = None) -> Case:
    return Case(
        "c1",
        "web-1",
        status,
        "high",
        ["grooming"],
        None,
        "dorset",
        [],
        OPENED,
        OPENED,
        claimed_by=claimed_by,
        claimed_by_name=NAMES.get(claimed_by),
    )


def test_anyone_on_duty_may_claim_a_case_nobody_has():
    for who in (ALEX, SUE):
        assert claim_refusal(case(), who) is None
        assert claim_refusal(case("unavailable"), who) is None


def test_off_duty_a_claim_is_refused_but_the_page_still_offers_it_and_says_why_when_pressed():
    off = replace(ALEX, on_duty=False)
    assert claim_refusal(case(), off) == OFF_DUTY
    assert case_actions(case(), off).claim


def test_an_agent_cannot_take_a_colleagues_case_but_a_supervisor_can():
    bos = case("connected", claimed_by=BO.id)
    assert "Bo has this case" in claim_refusal(bos, ALEX)
    assert not case_actions(bos, ALEX).claim
    assert claim_refusal(bos, SUE) is None
    assert case_actions(bos, SUE).taking_from == "Bo"
    # a colleague's case stays theirs for an agent who is off duty too: no button to press
    assert not case_actions(bos, replace(ALEX, on_duty=False)).claim


def test_the_person_in_the_chat_cannot_claim_it_again_but_may_after_handing_it_back():
    assert claim_refusal(case("connected", claimed_by=ALEX.id), ALEX) == "You are already in this chat."
    handed_back = case("queued", claimed_by=ALEX.id)
    assert claim_refusal(handed_back, ALEX) is None
    assert case_actions(handed_back, ALEX).taking_from is None


def test_only_the_person_in_the_chat_replies_not_even_a_supervisor():
    alexs = case("connected", claimed_by=ALEX.id)
    assert reply_refusal(alexs, ALEX) is None
    assert "Claim the case" in reply_refusal(alexs, SUE)
    assert "Claim the case" in reply_refusal(case("queued", claimed_by=ALEX.id), ALEX)  # bot answering


def test_a_chat_is_handed_back_by_the_person_in_it_or_a_supervisor():
    alexs = case("connected", claimed_by=ALEX.id)
    assert hand_back_refusal(alexs, ALEX) is None
    assert hand_back_refusal(alexs, SUE) is None
    assert "only they or a supervisor" in hand_back_refusal(alexs, BO)
    assert "already answering" in hand_back_refusal(case("queued", claimed_by=ALEX.id), ALEX)


def test_an_unclaimed_case_is_closed_by_anyone_a_claimed_one_by_its_owner_or_a_supervisor():
    assert close_refusal(case(), BO) is None
    alexs = case("queued", claimed_by=ALEX.id)
    assert close_refusal(alexs, ALEX) is None
    assert close_refusal(alexs, SUE) is None
    assert "only they or a supervisor can close it" in close_refusal(alexs, BO)
    assert close_refusal(case("closed", claimed_by=ALEX.id), SUE) == "This case is already closed."


def test_a_closed_case_is_read_and_noted_by_supervisors_only_and_nobody_works_it():
    closed = case("closed", claimed_by=ALEX.id)
    assert not may_view(closed, ALEX) and may_view(closed, SUE)
    assert note_refusal(closed, ALEX) == "This case is closed." and note_refusal(closed, SUE) is None
    for who in (ALEX, SUE):
        offered = case_actions(closed, who)
        assert not (offered.claim or offered.reply or offered.hand_back or offered.close)
    assert may_view(case(), BO) and note_refusal(case(), BO) is None


def test_supervisor_pages_are_for_supervisors_and_nobody_disables_their_own_account():
    assert may_supervise(SUE) and not may_supervise(ALEX)
    assert account_change_refusal(SUE, ALEX, active=False) is None
    assert account_change_refusal(SUE, SUE, active=False) == "You cannot disable your own account."
    assert account_change_refusal(SUE, SUE, active=True) is None
    assert account_change_refusal(ALEX, BO, active=False) == "Only a supervisor can do that."


def test_require_raises_the_refusal_in_words_and_passes_when_allowed():
    require(None)
    with pytest.raises(NotAllowed, match="already in this chat"):
        require(claim_refusal(case("connected", claimed_by=ALEX.id), ALEX))


def expected_buttons(status: str, owner: int | None, who: StaffMember) -> set[str]:
    """The rules as staff are told them, written out case by case."""
    is_open, mine, boss = status != "closed", owner == who.id, who.role == "supervisor"
    buttons = set()
    if is_open and (owner is None or (mine and status != "connected") or (not mine and boss)):
        buttons.add("claim")
    if status == "connected" and mine:
        buttons.add("reply")
    if status == "connected" and (mine or boss):
        buttons.add("hand_back")
    if is_open and (owner is None or mine or boss):
        buttons.add("close")
    if is_open or boss:
        buttons.add("note")
    return buttons


@pytest.mark.parametrize(
    "status, owner, who",
    [
        (status, owner, who)
        for status, owner, who in product(
            ("queued", "unavailable", "connected", "closed"), (None, 1, 2), (ALEX, BO, SUE)
        )
        if not (status == "connected" and owner is None)  # a connected case always has a person
    ],
)
def test_the_case_page_offers_each_action_exactly_when_the_takeover_allows_it(status, owner, who):
    the_case = case(status, owner)
    offered = case_actions(the_case, who)
    shown = {name for name in ("claim", "reply", "hand_back", "close", "note") if getattr(offered, name)}
    assert shown == expected_buttons(status, owner, who)
    allowed = {
        name
        for name, refusal in (
            ("claim", claim_refusal(the_case, who)),
            ("reply", reply_refusal(the_case, who)),
            ("hand_back", hand_back_refusal(the_case, who)),
            ("close", close_refusal(the_case, who)),
            ("note", note_refusal(the_case, who)),
        )
        if refusal is None
    }
    assert allowed == shown  # everyone in these tests is on duty
