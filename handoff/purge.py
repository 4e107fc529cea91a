"""The operator's commands for retention (handoff/retention.py says what is kept and how long).

    python -m handoff.purge                                   make purge
    python -m handoff.purge forget --conversation ID [--by NAME] [--even-if-open]
    python -m handoff.purge forget --case CASE_ID ...         make forget CONVERSATION=... / CASE=...

Both print what they deleted (counts) and write it to the audit log (counts, never text). The
databases, the force and Rasa's address come from the environment as for the services
(deploy/local.env, and deploy/production.env when it exists); Rasa's API token from
RASA_API_TOKEN or the file `make run` keeps while it runs, so Rasa drops its in-memory copy of a
deleted conversation too.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys

from handoff.clock import SYSTEM_CLOCK, Clock
from handoff.rasa_api import RasaAPI, configured_token
from handoff.retention import CaseStillOpen, Retention


def _rasa(env: dict) -> RasaAPI | None:
    token = configured_token(env)
    if not token:
        return None
    return RasaAPI(env.get("RASA_URL") or f"http://127.0.0.1:{env.get('RASA_PORT', '5005')}", token)


async def _drop(retention: Retention, ids: list[str], env: dict) -> str | None:
    rasa = _rasa(env)
    try:
        return await retention.drop_from_rasa(rasa, ids)
    finally:
        if rasa is not None:
            await rasa.close()


def _operator() -> str:
    try:
        return os.environ.get("SUDO_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "operator"


def main(argv: list[str], clock: Clock = SYSTEM_CLOCK, env: dict | None = None) -> int:
    env = dict(os.environ) if env is None else env
    parser = argparse.ArgumentParser(prog="python -m handoff.purge", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("purge", help="delete everything past its retention period (the default)")
    forget = commands.add_parser("forget", help="delete one person's conversation and cases")
    which = forget.add_mutually_exclusive_group(required=True)
    which.add_argument("--conversation", help="the conversation id")
    which.add_argument("--case", help="a case id (its whole conversation is deleted)")
    forget.add_argument("--by", default=None, help="who asked for it, for the audit log")
    forget.add_argument("--even-if-open", action="store_true", help="delete a case that is still open")
    args = parser.parse_args(argv)

    retention = Retention(clock=clock)
    if args.command == "forget":
        conversation = args.conversation
        if args.case:
            conversation = retention.case_conversation(args.case)
            if conversation is None:
                print(f"No case {args.case}.", file=sys.stderr)
                return 1
        by = (args.by or _operator())[:40] + " (command line)"
        try:
            deleted = retention.forget(conversation, by, even_if_open=args.even_if_open)
        except CaseStillOpen as problem:
            print(f"Nothing deleted: {problem}.", file=sys.stderr)
            return 1
        print(f"Deleted conversation {conversation}: {deleted.describe()}.")
    else:
        deleted = retention.purge(actor="operator (command line)")
        print(
            f"Retention purge ({retention.force.name}: chats without a case after "
            f"{retention.conversation_days} days, closed cases after "
            f"{retention.closed_case_days(None)} days): deleted {deleted.describe()}."
        )
    problem = asyncio.run(_drop(retention, deleted.conversation_ids, env))
    if problem:
        print(f"Warning: {problem}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
