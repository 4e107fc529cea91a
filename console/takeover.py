"""The live takeover: what claiming, replying, handing back and closing do, to the cases
database and to the conversation in Rasa. Who may do each is handoff/permissions.py's.

The cases database decides who has a case (so two people cannot both claim it) and is the one
record of its status: Rasa keeps no copy, and the bot reads it there when it needs it. The
database changes first, Rasa is told second, and a claim or hand back Rasa could not be told
about is undone, so the case never says "connected" while the bot is answering.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from advice.content import library
from advice.forces import Force
from channels.input_cleaning import clean_text
from handoff import rasa_api
from handoff.availability import handoff_status
from handoff.permissions import (
    NotAllowed,
    claim_refusal,
    close_refusal,
    colleague_has,
    hand_back_refusal,
    note_refusal,
    reply_refusal,
    require,
)
from handoff.rasa_api import RasaAPI
from handoff.staff import DUTY_LIVENESS, StaffMember, StaffStore
from handoff.store import OUTCOMES, Case, CaseStateError, CaseStore
from handoff.transcript import PERSON_KEY, STAFF_NAME_KEY, transcript

MAX_REPLY_CHARS = 2000
MAX_NOTE_CHARS = 5000


@dataclass
class Takeover:
    cases: CaseStore
    staff: StaffStore
    rasa: RasaAPI
    force: Force

    async def _case(self, case_id: str) -> Case:
        case = await asyncio.to_thread(self.cases.get, case_id)
        if case is None:
            raise NotAllowed("There is no such case.")
        return case

    async def _availability(self) -> str:
        """What the bot says about people once nobody is in the chat (as action_escalate does)."""
        on_duty = await asyncio.to_thread(self.staff.on_duty_count)
        return handoff_status(self.force.staffed_at(self.cases.clock.now()), on_duty)

    async def _copy(self, case: Case, events: list[dict]) -> None:
        await asyncio.to_thread(self.cases.transcripts.add, case.id, transcript(events))

    # --- claim -------------------------------------------------------------------------
    async def claim(self, case_id: str, member: StaffMember) -> tuple[Case, str]:
        """Returns the case and the audit action (claim, or take_over from a colleague)."""
        case = await self._case(case_id)
        require(claim_refusal(case, member))
        from_colleague = colleague_has(case, member)
        try:
            claimed = await asyncio.to_thread(self.cases.claim, case.id, member.id, from_colleague)
        except CaseStateError as problem:
            raise NotAllowed(f"The case could not be claimed: {problem}.") from None
        at = self.cases.clock.timestamp()
        events = [
            rasa_api.pause(at),
            rasa_api.bot_text(library().handoff_text("connected", self.force), at),
            # the handoff signal, and beside it the name the chat shows ("Alex has joined")
            rasa_api.bot_custom(
                {
                    "handoff": {"case_id": case.id, "status": "connected", "reasons": case.reasons},
                    STAFF_NAME_KEY: member.display_name,
                },
                at,
            ),
        ]
        try:
            await self._copy(claimed, await self.rasa.add_events(case.conversation, events))
        except rasa_api.RasaUnavailable:
            await asyncio.to_thread(self.cases.undo, case)
            raise
        return claimed, "take_over" if from_colleague else "claim"

    # --- reply -------------------------------------------------------------------------
    async def reply(self, case_id: str, member: StaffMember, text: str) -> Case:
        case = await self._case(case_id)
        require(reply_refusal(case, member))
        text = _staff_text(text, MAX_REPLY_CHARS, "The reply is empty.", "a reply")
        event = rasa_api.bot_text(
            text, self.cases.clock.timestamp(), {PERSON_KEY: True, STAFF_NAME_KEY: member.display_name}
        )
        await self._copy(case, await self.rasa.add_events(case.conversation, [event]))
        return case

    # --- hand back ---------------------------------------------------------------------
    async def hand_back(self, case_id: str, member: StaffMember) -> Case:
        case = await self._case(case_id)
        require(hand_back_refusal(case, member))
        return await self._hand_back(case, "handed_back")

    async def _hand_back(self, case: Case, message: str) -> Case:
        """The bot answers the chat again. The case's status lives in the cases database only
        (the bot reads it there: actions/escalation.py current_status), so it changes there
        first, and no turn of the resumed bot reads "connected"; if Rasa cannot be told, the
        change is undone."""
        handed = await asyncio.to_thread(self.cases.hand_back, case.id, await self._availability())
        at = self.cases.clock.timestamp()
        events = [
            rasa_api.resume(at),
            rasa_api.bot_text(library().handoff_text(message, self.force), at),
        ]
        try:
            await self._copy(case, await self.rasa.add_events(case.conversation, events))
        except rasa_api.RasaUnavailable:
            await asyncio.to_thread(self.cases.undo, case)
            raise
        return handed

    async def hand_back_abandoned(self) -> list[tuple[Case, str]]:
        """Hands back every chat whose person has gone: their account is disabled, or no console
        page of theirs has been seen for DUTY_LIVENESS. Nobody is left talking to a paused bot.
        Returns the cases handed back and why."""
        released = []
        for case in await asyncio.to_thread(self.cases.open_cases):
            if case.status != "connected":
                continue
            member = await asyncio.to_thread(self.staff.get, case.claimed_by) if case.claimed_by else None
            seen = member.last_seen_at if member else None
            if member and member.active and seen and self.cases.clock.now() - seen < DUTY_LIVENESS:
                continue
            why = (
                "their account was disabled"
                if member and not member.active
                else (
                    f"{case.claimed_by_name or 'nobody'}'s console was not seen for "
                    f"{int(DUTY_LIVENESS.total_seconds() // 60)} minutes"
                )
            )
            released.append((await self._hand_back(case, "handed_back"), why))
        return released

    # --- close -------------------------------------------------------------------------
    async def close(self, case_id: str, member: StaffMember, outcome: str, note: str) -> Case:
        case = await self._case(case_id)
        require(close_refusal(case, member))
        if outcome not in OUTCOMES:
            raise NotAllowed("Choose an outcome.")
        note = _staff_text(
            note, MAX_NOTE_CHARS, "Write a closing note: what happened and what was done.", "the note"
        )
        if case.status == "connected":  # a person is in the chat: they leave it, the bot resumes
            await self._hand_back(case, "ended")
        return await asyncio.to_thread(
            self.cases.close, case.id, member.id, member.display_name, outcome, note
        )

    # --- note --------------------------------------------------------------------------
    async def note(self, case_id: str, member: StaffMember, text: str) -> Case:
        case = await self._case(case_id)
        require(note_refusal(case, member))
        text = clean_text(text or "").strip()
        if not text:
            raise NotAllowed("The note is empty.")
        if len(text) > MAX_NOTE_CHARS:
            raise NotAllowed(f"Keep a note under {MAX_NOTE_CHARS} characters.")
        await asyncio.to_thread(self.cases.add_note, case.id, member.id, member.display_name, text)
        return case


def _staff_text(text: str | None, limit: int, when_empty: str, what: str) -> str:
    """What a member of staff typed, cleaned as users' text is, and checked."""
    text = clean_text(text or "").strip()
    if not text:
        raise NotAllowed(when_empty)
    if len(text) > limit:
        raise NotAllowed(f"Keep {what} under {limit} characters.")
    return text
