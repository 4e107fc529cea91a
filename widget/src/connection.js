// Talking to Rasa: its socket.io channel first (live replies, a person's messages, the
// conversation shown again after a reload, a new page or a lost signal), the REST channel when
// the socket cannot connect, and a notice with Childline and 999 when neither answers.
//
// The socket.io contract (channels/socketio_takeover.py, channels/chat_sessions.py): the widget
// sends `session_request` with the id and signed token it was given, if any; the server answers
// `session_confirm` (the id), `session_token` (a fresh token) and, for a returning conversation,
// `history`; messages go as `user_uttered` {message, session_id} and come as `bot_uttered`.
// REST (docs/contracts.md): POST /webhooks/rest/webhook {sender, message} returns the bot's messages.
import { io } from "socket.io-client";
import * as store from "./store.js";
import { restConversationId } from "./format.js";

const FALLBACK_AFTER_MS = 4000; // a new chat whose socket has not connected by then tries REST
const UNDELIVERED_MS = 5000; // a message the socket could not send by then goes by REST, if up
const RETRY_REST_MS = 10000;

export class Connection {
  constructor(server, handlers) {
    this.server = server;
    this.on = handlers; // {item(item), history(items, paused, pending), mode(mode), problem(kind)}
    this.socket = null;
    this.confirmed = false;
    this.waiting = []; // messages typed while the socket is not connected
    this.timers = new Set();
    this.saidDown = false;
  }

  start() {
    const kept = store.load();
    if (kept.mode === "rest" && kept.restId) {
      this.mode = "rest";
      this.restId = kept.restId;
      this.on.history(kept.restLog || [], false, []);
      this.on.mode("rest");
      return;
    }
    this.mode = "socket";
    this.openSocket(kept);
    if (!kept.id) this.later(FALLBACK_AFTER_MS, () => this.confirmed || this.tryRest());
  }

  later(ms, fn) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  openSocket(kept) {
    const socket = io(this.server, {
      transports: ["websocket", "polling"],
      tryAllTransports: true, // a proxy that refuses websockets still gets long polling
      reconnectionDelayMax: 5000,
    });
    this.socket = socket;
    let failures = 0;
    socket.on("connect", () => {
      const now = store.load();
      socket.emit("session_request", { session_id: now.id, session_token: now.token });
    });
    socket.on("session_confirm", (id) => {
      store.update({ mode: "socket", id });
      this.id = id;
      this.confirmed = true;
      failures = 0;
      this.flushed = this.waiting.map((m) => m.shown);
      while (this.waiting.length) socket.emit("user_uttered", { message: this.waiting.shift().payload, session_id: id });
      this.on.mode("socket");
    });
    socket.on("session_token", (data) => {
      if (data && data.session_id === this.id) store.update({ token: data.session_token });
    });
    socket.on("history", (data) => {
      this.on.history((data && data.messages) || [], !!(data && data.paused), this.flushed || []);
      this.flushed = [];
    });
    socket.on("bot_uttered", (item) => this.on.item(item));
    socket.on("disconnect", () => {
      this.confirmed = false;
      // a moment without signal is normal on a phone: say so only if it lasts
      this.later(3000, () => this.mode === "socket" && !this.confirmed && this.on.problem("reconnecting"));
    });
    socket.on("connect_error", () => {
      failures += 1;
      // a new chat: two failed tries are enough to look for the REST channel
      if (failures === 2 && !store.load().id && this.mode === "socket") this.tryRest();
    });
  }

  async restUp() {
    try {
      const answer = await fetch(this.server + "/webhooks/rest/", { credentials: "omit", cache: "no-store" });
      return answer.ok;
    } catch {
      return false;
    }
  }

  async tryRest() {
    if (this.mode !== "socket" || this.confirmed || this.probing) return false;
    this.probing = true;
    const up = await this.restUp();
    this.probing = false;
    if (this.mode !== "socket" || this.confirmed) return false;
    if (!up) {
      if (!this.saidDown) this.on.problem("bothDown");
      this.saidDown = true;
      this.later(RETRY_REST_MS, () => this.tryRest());
      return false;
    }
    this.useRest();
    return true;
  }

  useRest() {
    this.mode = "rest";
    this.socket?.close();
    this.restId = restConversationId(crypto.getRandomValues(new Uint8Array(16)));
    store.save({ mode: "rest", restId: this.restId, restLog: [], open: store.load().open });
    this.on.mode("rest");
    this.on.problem("usingRest");
    const waiting = this.waiting.splice(0);
    for (const m of waiting) this.sendRest(m.payload, m.shown);
  }

  send(payload, shown) {
    if (this.mode === "rest") return this.sendRest(payload, shown);
    if (this.confirmed) {
      this.socket.emit("user_uttered", { message: payload, session_id: this.id });
      return;
    }
    const message = { payload, shown };
    this.waiting.push(message);
    this.later(UNDELIVERED_MS, () => {
      if (this.waiting.includes(message)) this.tryRest();
    });
  }

  async sendRest(payload, shown) {
    this.keepRest({ sender: "user", text: shown });
    let items;
    try {
      const answer = await fetch(this.server + "/webhooks/rest/webhook", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: this.restId, message: payload }),
        credentials: "omit",
        cache: "no-store",
      });
      if (!answer.ok) throw new Error(String(answer.status));
      items = await answer.json();
    } catch {
      this.on.problem("bothDown");
      return;
    }
    for (const item of Array.isArray(items) ? items : []) {
      this.keepRest(item);
      this.on.item(item);
    }
  }

  keepRest(item) {
    const kept = store.load();
    if (kept.mode !== "rest") return;
    const { recipient_id: _unused, ...shown } = item;
    store.update({ restLog: [...(kept.restLog || []), shown] });
  }

  close() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.mode = "closed";
    try {
      this.socket?.close();
    } catch {
      /* closing anyway */
    }
  }
}
