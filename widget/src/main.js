// The chat widget a police force's page adds with one script tag (config.js shows the tag).
// It starts nothing until the person opens it, unless this tab already has a conversation: then
// it connects at once and shows the conversation again.
import { readConfig } from "./config.js";
import { Connection } from "./connection.js";
import * as store from "./store.js";
import { TEXT } from "./text.js";
import { ChatView } from "./view.js";

// Escape twice within this time leaves the site (docs/widget.md: why twice). The first press
// closes the panel, which already hides the conversation.
const ESC_WINDOW_MS = 2000;

const script = document.currentScript; // only known while this file first runs

function start() {
  if (window.__adviceChatStarted) return; // the tag pasted twice: one widget
  window.__adviceChatStarted = true;
  const config = readConfig(script, (problem) => console.warn(`Advice chat widget: ${problem}`));
  const t = TEXT[config.language];
  let connection = null;
  let view = null;

  const connect = () => {
    if (connection || !config.server) return;
    connection = new Connection(config.server, {
      item: (item) => view.render(item, true),
      history: (items, paused, pending) => view.showHistory(items, paused, pending),
      mode: (mode) => {
        view.root.dataset.mode = mode;
      },
      problem: (kind) => view.addNotice(t[kind], `connection ${kind}`),
    });
    connection.start();
  };

  const checkAvailability = async () => {
    if (!config.force) return view.showAvailability(null);
    try {
      const answer = await fetch(`${config.projectBase}/widget/availability/${config.force}`, {
        credentials: "omit",
        cache: "no-store",
      });
      view.showAvailability(answer.ok ? await answer.json() : null);
    } catch {
      view.showAvailability(null);
    }
  };

  // Quick exit: forget the conversation on this device first, hide it, then replace this page in
  // the history with the neutral one, so Back, a reload or a reopened tab don't show it.
  const leave = () => {
    store.forget();
    connection?.close();
    connection = null;
    view.hideEverything();
    window.location.replace(config.quickExit);
  };

  view = new ChatView(config, t, {
    open: () => {
      store.update({ open: true });
      connect();
      checkAvailability();
    },
    closed: () => store.update({ open: false }),
    send: (payload, shown) => {
      connect();
      connection?.send(payload, shown);
    },
    leave,
  });

  let lastEscape = -Infinity;
  document.addEventListener(
    "keydown",
    (e) => {
      if (e.key !== "Escape") return;
      const now = performance.now();
      if (now - lastEscape <= ESC_WINDOW_MS) {
        e.preventDefault();
        leave();
        return;
      }
      lastEscape = now;
      if (view.isOpen) view.close(true);
      view.announce(t.escAgain);
    },
    true,
  );

  // Back to a page the browser kept in memory (back/forward cache) after a quick exit from a
  // later page: the conversation was forgotten, so it must not be shown from memory either.
  window.addEventListener("pageshow", (e) => {
    if (!e.persisted) return;
    view.unhide();
    if (!store.has()) {
      connection?.close();
      connection = null;
      view.clear();
      if (view.isOpen) view.close(false);
    }
  });

  const kept = store.load();
  if (kept.id || kept.restId) connect();
  if (kept.open) view.open(false);
  performance.mark("advice-chat:interactive"); // the benchmark reads this (tests/bench)
}

if (document.body) start();
else document.addEventListener("DOMContentLoaded", start);
