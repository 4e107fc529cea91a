"""Serves the chat page on loopback (Sanic, like the other web parts)."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from sanic import Sanic, response

STATIC = Path(__file__).resolve().parent / "static"


def create_app() -> Sanic:
    app = Sanic("chat_page")
    rasa_url = f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}"

    @app.get("/")
    async def index(_):
        html = (STATIC / "index.html").read_text().replace("__RASA_URL__", rasa_url)
        return response.html(html, headers={
            "Content-Security-Policy": f"default-src 'self'; connect-src {rasa_url}; "
                                       "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'",
            "Referrer-Policy": "no-referrer"})

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    create_app().run(host="127.0.0.1", port=args.port, single_process=True, access_log=False)


if __name__ == "__main__":
    main()
