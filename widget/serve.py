"""Serves the chat page on loopback (Sanic, like the other web parts)."""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path

from sanic import Sanic, response

from actions.school_check.records import pdf_for

STATIC = Path(__file__).resolve().parent / "static"


def create_app() -> Sanic:
    app = Sanic("chat_page")
    rasa_url = f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}"

    socket_url = rasa_url.replace("http", "ws", 1)  # the chat's socket.io websocket
    # the socket.io client, vendored from npm (see static/vendor/README.md)
    app.static("/vendor", str(STATIC / "vendor"), name="vendor")

    @app.get("/")
    async def index(_):
        html = (STATIC / "index.html").read_text().replace("__RASA_URL__", rasa_url)
        return response.html(
            html,
            headers={
                "Content-Security-Policy": f"default-src 'self'; connect-src {rasa_url} {socket_url}; "
                "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'",
                "Referrer-Policy": "no-referrer",
            },
        )

    @app.get("/records/<name>")
    async def incident_record(_, name):
        # the school check's decision record (actions/school_check/records.py): 24 hours, then gone
        pdf = await asyncio.to_thread(pdf_for, name)
        private = {
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
        }
        if pdf is None:
            return response.text(
                "This record has expired or does not exist. Records are kept for 24 hours.",
                status=404,
                headers=private,
            )
        return response.raw(
            pdf,
            content_type="application/pdf",
            headers={**private, "Content-Disposition": 'inline; filename="incident-decision-record.pdf"'},
        )

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    # Sanic 21.12 (Rasa's pin) runs one process by default and has no single_process argument
    create_app().run(host="127.0.0.1", port=args.port, access_log=False)


if __name__ == "__main__":
    main()
