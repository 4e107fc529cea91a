"""The console's commands.

    python -m console                          serve the console (CONSOLE_HOST:CONSOLE_PORT)
    python -m console create-supervisor        create the first supervisor (asks for the details)
    python -m console reset-password USERNAME  a new password, when no supervisor can sign in

Without a terminal (scripts, tests), create-supervisor reads --username and --display-name from
its arguments and the password from standard input, once per line twice.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from console.config import ConsoleConfig
from handoff.audit import AuditLog
from handoff.permissions import may_supervise
from handoff.staff import StaffError, StaffStore


def _password(prompt_tty: bool) -> str:
    if prompt_tty:
        first = getpass.getpass("Password (at least 12 characters; three random words work well): ")
        again = getpass.getpass("The same password again: ")
    else:
        first, again = sys.stdin.readline().rstrip("\n"), sys.stdin.readline().rstrip("\n")
    if first != again:
        raise StaffError("The two passwords are different.")
    return first


def create_supervisor(args, config: ConsoleConfig) -> int:
    store = StaffStore(config.db_url, password_cost=config.password_cost)
    if any(may_supervise(m) and m.active for m in store.all()):
        print(
            "A supervisor account exists already: supervisors add staff on the console's Staff page.",
            file=sys.stderr,
        )
        return 1
    tty = sys.stdin.isatty()
    username = args.username or (input("Username (e.g. sam.jones): ") if tty else "")
    display = args.display_name or (input("Name shown to young people (e.g. Sam): ") if tty else "")
    try:
        member = store.create(username, display or username, "supervisor", _password(tty))
    except StaffError as problem:
        print(f"Not created: {problem}", file=sys.stderr)
        return 1
    AuditLog(config.db_url).record("supervisor_created", "-", None, detail=member.username)
    print(f"Supervisor {member.username} created. Sign in at http://{config.host}:{config.port}/")
    return 0


def reset_password(args, config: ConsoleConfig) -> int:
    store = StaffStore(config.db_url, password_cost=config.password_cost)
    member = next((m for m in store.all() if m.username == args.username.lower()), None)
    if member is None:
        print(f"No account {args.username}.", file=sys.stderr)
        return 1
    try:
        store.set_password(member.id, _password(sys.stdin.isatty()))
    except StaffError as problem:
        print(f"Not changed: {problem}", file=sys.stderr)
        return 1
    AuditLog(config.db_url).record("password_reset", "-", None, detail=f"{member.username} (command line)")
    print(f"Password changed for {member.username}; their sessions have ended.")
    return 0


def serve(config: ConsoleConfig) -> int:
    from console.app import create_app

    create_app(config).run(host=config.host, port=config.port, access_log=False, motd=False)
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m console")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve")
    create = commands.add_parser("create-supervisor")
    create.add_argument("--username")
    create.add_argument("--display-name")
    reset = commands.add_parser("reset-password")
    reset.add_argument("username")
    args = parser.parse_args(argv)
    config = ConsoleConfig.from_env()
    if args.command == "create-supervisor":
        return create_supervisor(args, config)
    if args.command == "reset-password":
        return reset_password(args, config)
    return serve(config)
