// The widget's DOM, inside a shadow root. Everything from the conversation is written with
// textContent: no HTML and no images are ever rendered from it, and links are checked
// (format.js safeLink) before they become links.
import css from "./styles.css";
import { safeLink, splitLongAnswer } from "./format.js";

let uid = 0;
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function attachStyles(shadow) {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css); // not a <style> element: a strict style-src on the host page allows it
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    shadow.append(el("style", { text: css }));
  }
}

export class ChatView {
  constructor(config, t, actions) {
    this.t = t;
    this.config = config;
    this.actions = actions; // {open(), send(payload, shown), leave()}
    this.personName = null;
    this.personConnected = false;
    this.lastHandoff = null;
    this.noReplyTimer = null;

    this.host = el("div", { id: "advice-chat-widget" });
    this.host.style.setProperty("--accent", config.colours.accent);
    const shadow = this.host.attachShadow({ mode: "open" });
    attachStyles(shadow);
    this.shadow = shadow;

    const exitButton = () =>
      el("button", { type: "button", class: "exit", title: t.leaveHint, "aria-describedby": "exit-hint", onclick: () => actions.leave() }, t.leave);
    this.launcher = el(
      "button",
      { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "panel", onclick: () => this.open(true) },
      t.launcher,
    );
    this.dock = el("div", { class: "dock" }, exitButton(), this.launcher);
    this.who = el("p", { class: "who", id: "who", text: t.statusBot });
    this.duty = el("p", { class: "duty" });
    this.intro = el(
      "section",
      { class: "intro", "aria-label": "Before you start" },
      el("p", { text: t.introBot }),
      this.duty,
      el("p", { text: t.introAnonymous }),
      (this.kept = el("p", { text: t.introKept(t.theTeam) })),
      el("p", { class: "danger", text: t.introDanger }),
    );
    this.messages = el("div", { class: "messages" });
    this.log = el("div", { class: "log", role: "region", "aria-label": "Conversation", tabindex: "0" }, this.intro, this.messages);
    this.live = el("div", { class: "sr-only", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    this.input = el("textarea", {
      id: "message", rows: "2", maxlength: "5000", autocomplete: "off", spellcheck: "true", placeholder: t.inputHint,
    });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.form.requestSubmit();
      }
    });
    this.form = el(
      "form",
      { class: "compose", onsubmit: (e) => this.submit(e) },
      el("label", { for: "message", class: "sr-only", text: t.inputLabel }),
      this.input,
      el("button", { type: "submit", class: "send" }, t.send),
    );
    this.panel = el(
      "div",
      { class: "panel", id: "panel", role: "dialog", "aria-labelledby": "title", "aria-describedby": "who", hidden: true, onkeydown: (e) => this.keepFocus(e) },
      el(
        "div",
        { class: "bar" },
        el("div", { class: "heading" }, el("h2", { id: "title", text: t.title }), this.who),
        el(
          "div",
          { class: "actions" },
          exitButton(),
          el("button", { type: "button", class: "close", onclick: () => this.close(true) }, t.close),
        ),
      ),
      this.log,
      this.form,
      el("p", { class: "foot", id: "exit-hint", text: t.footLine }),
    );
    this.cover = el("div", { class: "cover", hidden: true });
    this.root = el("div", { class: "chat", lang: config.language }, this.dock, this.panel, this.live, this.cover);
    this.root.style.setProperty("--accent", config.colours.accent);
    this.root.style.setProperty("--accent-text", config.colours.accentText);
    shadow.append(this.root);
    document.body.append(this.host);
  }

  get isOpen() {
    return !this.panel.hidden;
  }

  open(moveFocus) {
    this.panel.hidden = false;
    this.dock.hidden = true;
    this.launcher.setAttribute("aria-expanded", "true");
    if (moveFocus) this.input.focus();
    this.scrollToEnd();
    this.actions.open();
  }

  close(moveFocus) {
    this.panel.hidden = true;
    this.dock.hidden = false;
    this.launcher.setAttribute("aria-expanded", "false");
    if (moveFocus) this.launcher.focus();
    this.actions.closed();
  }

  // On a phone the panel covers the page: Tab stays inside it rather than reaching hidden links.
  keepFocus(e) {
    if (e.key !== "Tab" || !window.matchMedia("(max-width: 600px), (max-height: 500px)").matches) return;
    const focusable = [...this.panel.querySelectorAll("button, textarea, a[href], [tabindex='0']")].filter(
      (n) => !n.disabled && !n.closest("[hidden]"),
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const active = this.shadow.activeElement;
    if (e.shiftKey && active === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  }

  submit(e) {
    e.preventDefault();
    const text = this.input.value;
    if (!text.trim()) return;
    this.input.value = "";
    this.say(text, text);
  }

  say(payload, shown) {
    this.dropReplies();
    this.addUser(shown);
    this.expectReply();
    this.actions.send(payload, shown);
  }

  // --- what the intro says about people ------------------------------------------------------
  // info: the project server's answer (widget/availability.py), or null when it can't be had
  showAvailability(info) {
    const t = this.t;
    const team = (info && info.team_name) || t.theTeam;
    this.kept.textContent = t.introKept(team);
    if (!info) this.duty.textContent = t.dutyUnknown(team);
    else if (info.person_on_duty === true) this.duty.textContent = t.onDuty(team);
    else if (info.person_on_duty === false) this.duty.textContent = `${t.offDuty(team)} ${info.hours_text || t.hoursUnconfirmed}`;
    else this.duty.textContent = t.hoursUnknown(team);
  }

  // --- messages ---------------------------------------------------------------------------------
  add(kind, ...content) {
    const who = { user: this.t.you, bot: this.t.bot, notice: this.t.noticeLabel }[kind];
    const msg = el("div", { class: `msg ${kind}` }, who ? el("span", { class: "sr-only", text: `${who}: ` }) : null, ...content);
    this.messages.append(msg);
    this.scrollToEnd();
    return msg;
  }

  addUser(text) {
    this.add("user", el("div", { class: "bubble", text }));
  }

  addNotice(text, extra = "", announce = true) {
    const msg = this.add("notice", el("div", { class: "bubble", text }));
    if (extra) msg.classList.add(...extra.split(" "));
    if (announce) this.announce(text);
    return msg;
  }

  addPerson(text, name, announce) {
    if (name) this.personName = name;
    const label = this.t.personLabel(name);
    this.add("person", el("div", { class: "bubble" }, el("span", { class: "who-said", text: label }), el("span", { text })));
    if (announce) this.announce(`${label}: ${text}`);
  }

  addBotText(text, buttons, announce) {
    const split = splitLongAnswer(text);
    let msg;
    if (!split) {
      msg = this.add("bot", el("div", { class: "bubble", text }));
      if (announce) this.announce(text);
    } else {
      const id = `steps-${++uid}`;
      const list = el(
        "div",
        { id, hidden: true },
        el("ol", { class: "steps" }, ...split.steps.map((s) => el("li", { text: s }))),
        split.more ? el("div", { class: "tail", text: split.more }) : null,
      );
      const toggle = el("button", { type: "button", class: "steps-toggle", "aria-expanded": "false", "aria-controls": id }, this.t.showSteps(split.steps.length));
      toggle.addEventListener("click", () => {
        const opening = list.hidden;
        list.hidden = !opening;
        toggle.setAttribute("aria-expanded", String(opening));
        toggle.textContent = opening ? this.t.hideSteps(split.steps.length) : this.t.showSteps(split.steps.length);
      });
      msg = this.add(
        "bot",
        el("div", { class: "bubble" }, el("div", { text: split.lead }), toggle, list, split.tail ? el("div", { class: "tail", text: split.tail }) : null),
      );
      if (announce) this.announce([split.lead, split.tail].filter(Boolean).join(" "));
    }
    if (buttons && buttons.length) {
      const group = el("div", { class: "replies", role: "group", "aria-label": this.t.repliesLabel });
      for (const b of buttons) {
        if (typeof b.title !== "string" || typeof b.payload !== "string") continue;
        group.append(el("button", { type: "button", onclick: () => this.say(b.payload, b.title) }, b.title));
      }
      msg.append(group);
    }
  }

  addLinks(links) {
    const items = [];
    for (const link of links) {
      const href = safeLink(link && link.url, this.config.projectBase);
      if (!href || typeof link.title !== "string") continue;
      items.push(
        el("li", {}, el("a", { href, target: "_blank", rel: "noopener noreferrer", referrerpolicy: "no-referrer" }, link.title, el("span", { class: "sr-only", text: ` ${this.t.newTab}` }))),
      );
    }
    if (items.length) this.add("bot", el("ul", { class: "links", "aria-label": this.t.linksLabel }, ...items));
  }

  // Quick replies belong to the moment: once the person answers, the old ones go.
  dropReplies() {
    const hadFocus = this.shadow.activeElement && this.shadow.activeElement.closest(".replies");
    for (const group of this.messages.querySelectorAll(".replies")) group.remove();
    if (hadFocus) this.input.focus();
  }

  // One message from the bot or a person, live (announce) or from history (quietly).
  render(item, announce = true) {
    this.gotReply();
    if (!item || typeof item !== "object") return;
    if (item.sender === "user") {
      if (typeof item.text === "string") this.addUser(item.text);
      return;
    }
    if (item.from_person) {
      this.addPerson(typeof item.text === "string" ? item.text : "", typeof item.staff_name === "string" ? item.staff_name : null, announce);
      if (!this.personConnected) this.setPerson(true, announce);
      return;
    }
    if (typeof item.text === "string" && item.text) {
      if (this.personConnected) this.setPerson(false, announce); // the bot speaks again: nobody has the chat
      this.addBotText(item.text, item.quick_replies || item.buttons, announce);
    }
    const custom = item.custom && typeof item.custom === "object" ? item.custom : {};
    if (Array.isArray(custom.links)) this.addLinks(custom.links);
    if (custom.handoff && typeof custom.handoff === "object") this.handoff(custom.handoff.status, custom.staff_name, announce);
  }

  handoff(status, name, announce) {
    if (typeof name === "string" && name) this.personName = name;
    if (status === "connected") {
      this.setPerson(true, false);
      this.addNotice(this.t.joined(this.personName), "handoff joined", announce);
    } else if (status !== this.lastHandoff && (status === "queued" || status === "unavailable")) {
      this.addNotice(status === "queued" ? this.t.queued : this.t.unavailable, "handoff " + status, announce);
    }
    this.lastHandoff = status;
  }

  setPerson(connected, announce) {
    const was = this.personConnected;
    this.personConnected = connected;
    this.who.textContent = connected ? this.t.statusPerson(this.personName) : this.t.statusBot;
    if (was && !connected) this.addNotice(this.t.backToBot, "handoff back", announce);
  }

  showHistory(items, paused, pending) {
    const wasEmpty = !this.messages.childElementCount;
    this.messages.textContent = "";
    this.personConnected = false;
    this.lastHandoff = null;
    for (const item of items) this.render(item, false);
    // as live: only the latest message's buttons can still be pressed
    const groups = [...this.messages.querySelectorAll(".replies")];
    for (const group of groups.slice(0, -1)) group.remove();
    for (const text of pending) this.addUser(text);
    if (paused !== this.personConnected) this.setPerson(paused, false);
    if (wasEmpty && items.length) this.announce(this.t.restored);
  }

  clear() {
    this.messages.textContent = "";
    this.personConnected = false;
    this.personName = null;
    this.lastHandoff = null;
    this.who.textContent = this.t.statusBot;
    this.gotReply();
  }

  // --- no reply: say so, with the numbers that always work (not while a person has the chat:
  // people take longer than bots) ------------------------------------------------------------------
  expectReply() {
    clearTimeout(this.noReplyTimer);
    if (this.personConnected) return;
    this.noReplyTimer = setTimeout(() => this.addNotice(this.t.noReply, "no-reply"), 5000);
  }

  gotReply() {
    clearTimeout(this.noReplyTimer);
    this.noReplyTimer = null;
  }

  announce(text) {
    // a polite live region, for messages only (never buttons or the person's own text)
    this.live.textContent = "";
    setTimeout(() => {
      this.live.textContent = text;
    }, 50);
  }

  scrollToEnd() {
    this.log.scrollTop = this.log.scrollHeight;
    // when the whole panel scrolls (little room: styles.css); a hidden overflow must stay put
    if (getComputedStyle(this.panel).overflowY === "auto") this.panel.scrollTop = this.panel.scrollHeight;
  }

  hideEverything() {
    this.cover.hidden = false;
    this.panel.hidden = true;
    this.dock.hidden = true;
    this.clear();
  }

  unhide() {
    this.cover.hidden = true;
    if (this.panel.hidden) this.dock.hidden = false;
  }
}
