// The staff console's live parts. Everything from a case (a young person's words above all) is
// written with textContent, never as HTML.
"use strict";

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

// --- alerts: visual always, sound once staff switch it on (browsers block sound until a click)
const sound = {
  on: localStorage.getItem("console-sound") === "on",
  context: null,
  beep() {
    if (!this.on) return;
    this.context = this.context || new AudioContext();
    const osc = this.context.createOscillator(), gain = this.context.createGain();
    osc.frequency.value = 880; gain.gain.value = 0.15;
    osc.connect(gain); gain.connect(this.context.destination);
    osc.start(); osc.stop(this.context.currentTime + 0.25);
  },
};
const baseTitle = document.title;
let unseen = 0;
function titleAlert() {
  if (document.visibilityState === "visible" && document.hasFocus()) return;
  unseen += 1; document.title = `(${unseen}) ${baseTitle}`;
}
window.addEventListener("focus", () => { unseen = 0; document.title = baseTitle; });

function setupSoundToggle() {
  const button = document.getElementById("sound-toggle");
  if (!button) return;
  const show = () => {
    button.textContent = "Sound alerts: " + (sound.on ? "on" : "off");
    button.setAttribute("aria-pressed", String(sound.on));
  };
  button.addEventListener("click", () => {
    sound.on = !sound.on; localStorage.setItem("console-sound", sound.on ? "on" : "off");
    show(); if (sound.on) sound.beep();
  });
  show();
}

// --- the queue ----------------------------------------------------------------------------
function queuePage() {
  setupSoundToggle();
  const rows = document.getElementById("queue-rows");
  const known = new Map();   // case id -> reasons, to spot new cases and new reasons
  for (const tr of rows.querySelectorAll("tr[data-case-id]")) known.set(tr.dataset.caseId, null);
  let first = true;

  function row(item, fresh) {
    const tr = el("tr", null, "risk-" + item.risk + (fresh ? " fresh" : ""));
    tr.dataset.caseId = item.id;
    const risk = el("td"); risk.appendChild(el("span", item.risk, "risk")); tr.appendChild(risk);
    const reasons = el("td"), list = el("ul", null, "reasons");
    for (const r of item.reasons) list.appendChild(el("li", r));
    reasons.appendChild(list); tr.appendChild(reasons);
    tr.appendChild(el("td", item.audience));
    tr.appendChild(el("td", item.waiting));
    tr.appendChild(el("td", item.who));
    const open = el("td"), link = el("a", "Open case " + item.id);
    link.href = "/cases/" + encodeURIComponent(item.id); open.appendChild(link); tr.appendChild(open);
    return tr;
  }

  const source = new EventSource("/live/queue");
  source.addEventListener("queue", (event) => {
    const data = JSON.parse(event.data);
    const fresh = [];
    for (const item of data.cases) {
      const reasons = item.reason_codes.join(",");
      if (!known.has(item.id) || (known.get(item.id) !== null && known.get(item.id) !== reasons)) fresh.push(item.id);
      known.set(item.id, reasons);
    }
    rows.replaceChildren(...data.cases.map((item) => row(item, !first && fresh.includes(item.id))));
    if (!data.cases.length) {
      const empty = el("tr", null, "empty"), cell = el("td", "No open cases."); cell.colSpan = 6;
      empty.appendChild(cell); rows.appendChild(empty);
    }
    document.getElementById("count").textContent = `(${data.cases.length})`;
    document.getElementById("on-duty-list").textContent =
      data.on_duty.length ? "On duty: " + data.on_duty.join(", ") : "Nobody is on duty";
    const problem = document.getElementById("chat-problem");
    problem.hidden = !data.chat_problem;
    problem.textContent = data.chat_problem ? "Transcripts are not updating: " + data.chat_problem : "";
    if (!first && fresh.length) {
      const alert = document.getElementById("alert");
      alert.textContent = fresh.length === 1 ? "New or updated case: " + fresh[0] : fresh.length + " new or updated cases";
      alert.hidden = false;
      sound.beep(); titleAlert();
    }
    first = false;
  });
}

// --- a case -------------------------------------------------------------------------------
function casePage() {
  const body = document.body;
  const caseId = body.dataset.caseId;
  const transcript = document.getElementById("transcript");
  let last = Number(body.dataset.lastMessage);
  transcript.scrollTop = transcript.scrollHeight;     // open at the latest message

  function message(m) {
    const li = el("li", null, "m m-" + m.sender);
    li.dataset.messageId = m.id;
    li.appendChild(el("span", m.label + " · " + m.time, "who"));
    li.appendChild(el("span", m.text, "text"));
    transcript.appendChild(li);
    li.scrollIntoView({block: "nearest"});
  }

  const source = new EventSource(`/live/cases/${encodeURIComponent(caseId)}?after=${last}`);
  source.addEventListener("message", (event) => {
    const m = JSON.parse(event.data);
    if (m.id <= last) return;
    last = m.id; message(m);
    if (m.sender === "user") { sound.beep(); titleAlert(); }
  });
  source.addEventListener("case", (event) => {
    const c = JSON.parse(event.data);
    document.getElementById("case-status").textContent = c.status_text;
    document.getElementById("case-who").textContent = c.who;
    document.getElementById("case-audience").textContent = c.audience;
    document.getElementById("case-risk").textContent = c.risk;
    const reasons = document.getElementById("case-reasons");
    reasons.replaceChildren(...c.reasons.map((r) => el("li", r)));
    if (c.status !== body.dataset.status || String(c.claimed_by || "") !== body.dataset.claimedBy) {
      document.getElementById("changed").hidden = false;
    }
  });
  source.addEventListener("gone", () => {
    source.close();
    const changed = document.getElementById("changed");
    changed.textContent = "This case has been closed.";
    changed.hidden = false;
  });

  // replies go without reloading the page; they appear in the transcript from the live stream
  const form = document.getElementById("reply-form");
  if (form) {
    const text = document.getElementById("reply-text");
    const problem = document.getElementById("reply-problem");
    text.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!text.value.trim()) return;
      problem.hidden = true;
      const button = document.getElementById("send-reply"); button.disabled = true;
      try {
        const answer = await fetch(form.action, {method: "POST", body: new URLSearchParams(new FormData(form)),
          headers: {"Accept": "application/json"}, credentials: "same-origin"});
        if (answer.ok) { text.value = ""; }
        else {
          const data = await answer.json().catch(() => ({}));
          problem.textContent = data.error || "The reply was not sent. Try again."; problem.hidden = false;
        }
      } catch (e) {
        problem.textContent = "The reply was not sent: the console could not be reached."; problem.hidden = false;
      } finally { button.disabled = false; text.focus(); }
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const page = document.body.dataset.page;
  if (page === "queue") queuePage();
  else if (page === "case") casePage();
  else if (document.getElementById("sign-out")) {
    // no live stream on this page: say the console is still open, so its person stays on duty
    setInterval(() => fetch("/live/alive", {credentials: "same-origin"}).catch(() => {}), 30000);
  }
});
