"""The project's web pages on loopback (Sanic, like the other web parts):

- `/widget/chat.js`: the chat widget a force's page adds with one script tag (built from
  widget/src by widget/build.mjs; docs/widget.md), and `/widget/availability/<force>`, what it
  says before the first message about when a person is there (widget/availability.py);
- `/` and `/demo/<force>/`: a demonstration advice page for each force, with the widget embedded
  by its script tag exactly as a force would (`/` is the force in use, ADVICE_FORCE);
- `/records/<name>`: the school check's decision records.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sanic import Sanic, response
from sanic.exceptions import NotFound

from advice.forces import ForceConfigError, available_forces, current_force
from channels.chat_sessions import allowed_origins
from handoff.clock import SYSTEM_CLOCK, Clock
from handoff.staff import StaffStore
from school_check.record_store import pdf_for
from widget.availability import availability

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
BUILT = STATIC / "build"  # widget/build.mjs writes here (`make setup`)
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}


def widget_settings(force) -> dict:
    """The force file's widget block, checked (the widget checks contrast again)."""
    raw = force.raw.get("widget") or {}
    accent, text = raw.get("accent", "#1d3c6e"), raw.get("accent_text", "#ffffff")
    if not (HEX_COLOUR.match(accent) and HEX_COLOUR.match(text)):
        raise ForceConfigError(f"{force.id}: widget colours must be #rrggbb")
    # tests point the quick exit at a local page (no request may leave the machine)
    quick_exit = (
        os.environ.get("WIDGET_QUICK_EXIT_URL") or raw.get("quick_exit") or "https://www.bbc.co.uk/weather"
    )
    return {"accent": accent, "accent_text": text, "quick_exit": quick_exit}


def attribute_json(value: dict) -> Markup:
    """JSON for a single-quoted HTML attribute, as a force's web team would paste it."""
    text = json.dumps(value, indent=1)
    for char in "&<>'":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)


def create_app(clock: Clock = SYSTEM_CLOCK) -> Sanic:
    app = Sanic("chat_page")
    rasa_url = f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}"
    socket_url = rasa_url.replace("http", "ws", 1)  # the chat's socket.io websocket
    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape())
    demo_policy = (
        f"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' {rasa_url} {socket_url}; "
        "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )

    def force_or_404(force_id: str):
        if force_id not in available_forces():
            raise NotFound("No such force.")
        return current_force(force_id)

    def demo_page(request, force_id: str, page: str):
        force = force_or_404(force_id)
        settings = widget_settings(force)
        origin = f"{request.scheme}://{request.host}"
        placeholders = force.placeholders()
        config = {
            "server": rasa_url,
            "force": force.id,
            "language": "en",
            "colours": {"accent": settings["accent"], "accentText": settings["accent_text"]},
            "quickExit": settings["quick_exit"],
        }
        html = templates.get_template("demo.html").render(
            force=force,
            page=page,
            heading=(
                "Sharing nudes: advice for young people"
                if page == "young_people"
                else "Sharing nudes: advice for parents and carers"
            ),
            base_path=f"/demo/{force.id}/",
            local_team=force.raw["local_team"],
            local_team_role=" ".join(str(force.raw.get("local_team_role") or "can help").split()),
            delete_advice_young=placeholders["delete_advice_young"],
            delete_advice_parent=placeholders["delete_advice"],
            force_page=force.raw["pages"].get(page),
            widget=settings,
            widget_src=f"{origin}/widget/chat.js",
            config_json=attribute_json(config),
        )
        return response.html(html, headers={"Content-Security-Policy": demo_policy, **PRIVATE})

    @app.get("/")
    async def index(request):
        return demo_page(request, os.environ.get("ADVICE_FORCE", "dorset"), "young_people")

    @app.get("/demo/<force_id>/")
    async def demo_young_people(request, force_id):
        return demo_page(request, force_id, "young_people")

    @app.get("/demo/<force_id>/parents")
    async def demo_parents(request, force_id):
        return demo_page(request, force_id, "parents")

    @app.get("/demo/<force_id>/force.css")
    async def demo_force_css(_, force_id):
        settings = widget_settings(force_or_404(force_id))
        return response.text(f":root {{ --force-colour: {settings['accent']}; }}\n", content_type="text/css")

    @app.get("/demo/demo.css")
    async def demo_css(_):
        return await response.file(STATIC / "demo.css", headers={"Cache-Control": "no-cache"})

    @app.get("/widget/<name>")
    async def widget_file(_, name):
        if name not in ("chat.js", "licenses.txt"):
            raise NotFound("No such file.")
        path = BUILT / name
        if not path.exists():
            return response.text("The chat widget is not built: run `make setup`.", status=503)
        # no-cache: a force's page always gets the current build (it revalidates, cheaply)
        return await response.file(
            path, headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        )

    @app.get("/widget/availability/<force_id>")
    async def widget_availability(request, force_id):
        force = force_or_404(force_id)
        staff = StaffStore(clock=clock)
        answer = await asyncio.to_thread(availability, force, staff, clock)
        headers = dict(PRIVATE)
        origin = request.headers.get("origin")
        if origin and origin in allowed_origins():  # the forces' websites read it across origins
            headers.update({"Access-Control-Allow-Origin": origin, "Vary": "Origin"})
        return response.json(answer, headers=headers)

    @app.get("/records/<name>")
    async def incident_record(_, name):
        # the school check's decision record (school_check/record_store.py): 24 hours, then gone
        pdf = await asyncio.to_thread(pdf_for, name)
        if pdf is None:
            return response.text(
                "This record has expired or does not exist. Records are kept for 24 hours.",
                status=404,
                headers=PRIVATE,
            )
        return response.raw(
            pdf,
            content_type="application/pdf",
            headers={**PRIVATE, "Content-Disposition": 'inline; filename="incident-decision-record.pdf"'},
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
