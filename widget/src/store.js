// What the widget keeps on the device: in this tab only (sessionStorage), under one key, so a
// reload or a new page of the same site in the same tab continues the conversation, and the
// quick exit removes all of it. The socket channel keeps only the conversation's id and signed
// token (the server sends the conversation back); the REST fallback has no history on the
// server side for a browser, so it also keeps the messages shown, in the same key.
const KEY = "advice-chat";

function storage() {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage blocked: the chat still works, for this page only
  }
}

export function load() {
  try {
    return JSON.parse(storage()?.getItem(KEY) || "{}") || {};
  } catch {
    return {};
  }
}

export function save(state) {
  try {
    storage()?.setItem(KEY, JSON.stringify(state));
  } catch {
    /* full or blocked: nothing to do */
  }
}

export function update(changes) {
  save({ ...load(), ...changes });
}

export function forget() {
  try {
    storage()?.removeItem(KEY);
  } catch {
    /* blocked: nothing was kept */
  }
}

export function has() {
  try {
    return storage()?.getItem(KEY) != null;
  } catch {
    return false;
  }
}
