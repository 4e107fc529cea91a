"""The console over HTTP, as a browser uses it: sign-in, cookies, sessions, CSRF, roles,
the sign-in back-off, the audit log, headers, static files, and user text shown as text. A real
console process."""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from handoff.audit import AuditLog
from handoff.staff import FREE_FAILURES
from handoff.store import CaseStore
from tests.console.conftest import AGENT, SUPERVISOR, add_staff
from tests.console.http_client import ConsoleClient

XSS = "<img src=x onerror=alert(1)>"


def signed_in(console, person) -> ConsoleClient:
    client = console.client()
    answer = client.sign_in(person[0], person[3])
    assert answer.status == 303 and answer.location == "/"
    return client


def audit_actions(console, **filters) -> list[str]:
    return [e.action for e in AuditLog(console.db_url).entries(**filters)]


def test_pages_and_live_streams_need_a_signed_in_person(console_only):
    anonymous = console_only.client()
    for path in ("/", "/cases/abc123", "/staff", "/audit", "/closed"):
        answer = anonymous.get(path)
        assert answer.status == 303 and answer.location == "/sign-in", path
    assert anonymous.get("/live/queue").status == 401
    assert anonymous.get("/live/cases/abc123").status == 401
    assert anonymous.post("/duty", {"on_duty": "yes"}).status == 401


def test_the_session_cookie_is_http_only_secure_same_site_strict_and_host_only(console_only):
    client = console_only.client()
    answer = client.sign_in(AGENT[0], AGENT[3])
    session = next(c for c in answer.set_cookies if c.startswith("__Host-console_session="))
    for flag in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/"):
        assert flag in session
    assert "Domain" not in session
    value = session.split(";")[0].split("=", 1)[1]
    assert len(value) >= 40


def test_sign_in_always_issues_a_new_session_and_sign_out_ends_it(console_only):
    planted = "attacker-chosen-session-value"  # session fixation attempt
    client = ConsoleClient(console_only.url, cookies={"__Host-console_session": planted})
    assert client.sign_in(AGENT[0], AGENT[3]).status == 303
    first = client.cookies["__Host-console_session"]
    assert first != planted
    assert signed_in(console_only, AGENT).cookies["__Host-console_session"] != first
    client.post("/sign-out", {"csrf_token": client.csrf()})
    replay = ConsoleClient(console_only.url, cookies={"__Host-console_session": first})
    assert replay.get("/").status == 303  # the old cookie no longer works


def test_every_action_needs_the_sessions_csrf_token(console_only):
    client = signed_in(console_only, SUPERVISOR)
    other = signed_in(console_only, AGENT)
    for token in (None, "forged", other.csrf()):
        data = {"on_duty": "yes"} if token is None else {"on_duty": "yes", "csrf_token": token}
        assert client.post("/duty", data).status == 403
    good = client.post("/duty", {"on_duty": "yes", "csrf_token": client.csrf()})
    assert good.status == 303
    assert "csrf_rejected" in audit_actions(console_only, actor=SUPERVISOR[0])
    client.post("/duty", {"on_duty": "no", "csrf_token": client.csrf()})


def test_a_post_from_another_origin_is_refused_even_with_the_token(console_only):
    client = signed_in(console_only, SUPERVISOR)
    token = client.csrf()
    client.origin = "https://evil.example"
    assert client.post("/duty", {"on_duty": "yes", "csrf_token": token}).status == 403


def test_the_sign_in_form_has_its_own_csrf_check(console_only):
    client = console_only.client()
    client.get("/sign-in")
    answer = client.post("/sign-in", {"csrf_token": "forged", "username": AGENT[0], "password": AGENT[3]})
    assert answer.status == 403 and "__Host-console_session" not in client.cookies


def test_wrong_passwords_make_the_account_wait_and_every_attempt_is_audited(console_only):
    add_staff(console_only.db_url, ("lou.waits", "Lou", "agent", "quiet river stone path"))
    client = console_only.client()
    statuses = [client.sign_in("lou.waits", f"guess {attempt}").status for attempt in range(FREE_FAILURES)]
    assert statuses == [401] * FREE_FAILURES
    # the next wait is 1 s, then 2, 4, 8: a refusal comes well within the next attempts
    for attempt in range(4):
        refused = client.sign_in("lou.waits", f"late guess {attempt}")
        if refused.status == 429:
            break
    assert refused.status == 429 and "Too many wrong passwords for this account" in refused.body
    assert 1 <= int(refused.headers["retry-after"]) <= 8
    actions = audit_actions(console_only, actor="lou.waits")
    assert actions.count("sign_in_failed") >= FREE_FAILURES and actions[0] == "sign_in_throttled"
    time.sleep(int(refused.headers["retry-after"]))
    assert client.sign_in("lou.waits", "quiet river stone path").status == 303  # once it has passed


def test_twenty_five_parallel_guesses_at_one_account_are_not_all_checked(console_only):
    add_staff(console_only.db_url, ("pat.parallel", "Pat", "agent", "copper kettle mountain"))
    client = console_only.client()
    form = client.get("/sign-in")
    start = threading.Barrier(25)

    def guess(n: int) -> int:
        browser = ConsoleClient(console_only.url, cookies=dict(client.cookies))  # one form, 25 tabs
        start.wait()
        return browser.post(
            "/sign-in", {"csrf_token": form.csrf(), "username": "pat.parallel", "password": f"guess {n}"}
        ).status

    with ThreadPoolExecutor(max_workers=25) as pool:
        statuses = list(pool.map(guess, range(25)))
    checked, refused = statuses.count(401), statuses.count(429)
    assert checked + refused == 25
    # one check at a time per account: the free tries, and at most one more per wait that passed
    assert 1 <= checked <= FREE_FAILURES + 2 and refused >= 25 - FREE_FAILURES - 2
    assert audit_actions(console_only, actor="pat.parallel").count("sign_in_failed") == checked


def test_a_stranger_guessing_does_not_keep_a_supervisor_out_of_her_own_browser(console_only):
    add_staff(console_only.db_url, ("sam.super", "Sam", "supervisor", "lemon harbour violin"))
    own = console_only.client()
    first = own.sign_in("sam.super", "lemon harbour violin")
    assert first.status == 303
    trusted = next(c for c in first.set_cookies if c.startswith("__Host-console_browser="))
    for flag in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=7776000"):
        assert flag in trusted
    own.post("/sign-out", {"csrf_token": own.csrf()})
    stranger = console_only.client()
    statuses = [stranger.sign_in("sam.super", f"guess {n}").status for n in range(FREE_FAILURES + 1)]
    assert statuses[-1] == 429  # the account waits for anyone else...
    assert own.sign_in("sam.super", "lemon harbour violin").status == 303  # ...not for her browser


def test_folders_under_static_are_not_found_rather_than_an_error(console_only):
    anonymous = console_only.client()
    assert anonymous.get("/static/console.css").status == 200
    for path in (
        "/static/",
        "/static//",
        "/static/./",
        "/static/missing.css",
        "/static/../app.py",
        "/static",
    ):
        answer = anonymous.get(path)
        assert answer.status == 404, path
        assert "That page does not exist" in answer.body, path


def test_agents_cannot_reach_supervisor_pages_and_the_attempt_is_audited(console_only):
    agent = signed_in(console_only, AGENT)
    for path in ("/staff", "/audit", "/closed"):
        assert agent.get(path).status == 403
    token = agent.csrf()
    assert (
        agent.post(
            "/staff",
            {
                "csrf_token": token,
                "username": "mallory",
                "display_name": "M",
                "role": "supervisor",
                "password": "x" * 20,
                "password_again": "x" * 20,
            },
        ).status
        == 403
    )
    assert "forbidden" in audit_actions(console_only, actor=AGENT[0])


def test_a_supervisor_adds_an_agent_and_disables_them_which_ends_their_session(console_only):
    sue = signed_in(console_only, SUPERVISOR)
    token = sue.csrf("/staff")
    password = "violet canyon drum seven"
    added = sue.post(
        "/staff",
        {
            "csrf_token": token,
            "username": "new.agent",
            "display_name": "Nia",
            "role": "agent",
            "password": password,
            "password_again": password,
        },
    )
    assert added.status == 303
    weak = sue.post(
        "/staff",
        {
            "csrf_token": token,
            "username": "weak.one",
            "display_name": "W",
            "role": "agent",
            "password": "short",
            "password_again": "short",
        },
    )
    assert weak.status == 400 and "at least 12 characters" in weak.body
    nia = signed_in(console_only, ("new.agent", "Nia", "agent", password))
    assert nia.get("/").status == 200
    staff_id = re.search(
        r'action="/staff/(\d+)/active"', sue.get("/staff").body.split('data-username="new.agent"')[1]
    ).group(1)
    assert sue.post(f"/staff/{staff_id}/active", {"csrf_token": token, "active": "no"}).status == 303
    assert nia.get("/").status == 303  # signed out at once
    assert nia.sign_in("new.agent", password).status == 401
    assert {"staff_added", "staff_disabled"} <= set(audit_actions(console_only, actor=SUPERVISOR[0]))


def test_security_headers_forbid_inline_script_framing_and_caching(console_only):
    answer = signed_in(console_only, AGENT).get("/")
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert answer.headers["cache-control"] == "no-store" and answer.headers["x-frame-options"] == "DENY"


def test_user_text_is_shown_as_text_never_html_and_viewing_a_case_is_audited(console_only):
    cases = CaseStore(console_only.db_url)
    case = cases.escalate(
        "web-xss",
        ["grooming"],
        "high",
        "queued",
        None,
        "dorset",
        [XSS],
        [{"sender": "user", "text": XSS, "sent_at": None}],
    )
    agent = signed_in(console_only, AGENT)
    queue = agent.get("/")
    assert queue.status == 200 and f"/cases/{case.id}" in queue.body
    page = agent.get(f"/cases/{case.id}")
    assert page.status == 200
    assert XSS not in page.body and "&lt;img src=x onerror=alert(1)&gt;" in page.body
    assert "signs of grooming" in page.body  # the reason in plain words
    assert "Procedures (Dorset Police)" in page.body and "seed 001" in page.body
    assert "view_case" in audit_actions(console_only, case_id=case.id)


def test_an_agent_cannot_reply_to_a_case_they_have_not_claimed(console_only):
    case = CaseStore(console_only.db_url).escalate(
        "web-noclaim", ["grooming"], "high", "queued", None, "dorset", [], []
    )
    agent = signed_in(console_only, AGENT)
    answer = agent.post(
        f"/cases/{case.id}/reply",
        {"csrf_token": agent.csrf(), "text": "hello"},
        headers={"Accept": "application/json"},
    )
    assert answer.status == 409 and "Claim the case" in answer.body


def test_claiming_off_duty_is_refused_and_changes_nothing(console_only):
    case = CaseStore(console_only.db_url).escalate(
        "web-offduty", ["grooming"], "high", "queued", None, "dorset", [], []
    )
    agent = signed_in(console_only, AGENT)
    answer = agent.post(f"/cases/{case.id}/claim", {"csrf_token": agent.csrf()})
    assert answer.status == 409 and "Go on duty" in answer.body
    assert CaseStore(console_only.db_url).get(case.id).claimed_by is None


def test_when_rasa_cannot_be_reached_a_claim_is_undone(console_only):
    case = CaseStore(console_only.db_url).escalate(
        "web-norasa", ["grooming"], "high", "queued", None, "dorset", [], []
    )
    agent = signed_in(console_only, AGENT)
    token = agent.csrf()
    agent.post("/duty", {"csrf_token": token, "on_duty": "yes"})
    answer = agent.post(f"/cases/{case.id}/claim", {"csrf_token": token})
    assert answer.status == 503 and "could not be reached" in answer.body
    after = CaseStore(console_only.db_url).get(case.id)
    assert after.status == "queued" and after.claimed_by is None
    agent.post("/duty", {"csrf_token": token, "on_duty": "no"})


def test_going_on_duty_returns_only_to_a_page_of_the_console(console_only):
    client = signed_in(console_only, SUPERVISOR)
    token = client.csrf()
    for back, expected in (
        ("/staff", "/staff"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example", "/"),
    ):
        answer = client.post("/duty", {"csrf_token": token, "on_duty": "no", "back": back})
        assert answer.location == expected, back


def test_closed_cases_are_for_supervisors_only(console_only):
    cases = CaseStore(console_only.db_url)
    case = cases.escalate("web-closed", ["grooming"], "high", "queued", None, "dorset", [], [])
    cases.close(case.id, 1, "Sue", "person_left", "They left before anyone joined.")
    assert signed_in(console_only, AGENT).get(f"/cases/{case.id}").status == 404
    sue = signed_in(console_only, SUPERVISOR)
    page = sue.get(f"/cases/{case.id}")
    assert page.status == 200 and "They left before anyone joined." in page.body
    assert case.id in sue.get("/closed").body
