// Pure helpers (no DOM), unit-tested with node's test runner (widget/test/).

// Links: outside pages over https, and the project's own decision records (the school check's
// PDF, school_check/record_store.py), which live on the server that serves this script.
const RECORD = /^\/records\/[A-Za-z0-9_-]{43}\.pdf$/;

export function safeLink(url, projectBase) {
  if (typeof url !== "string") return null;
  if (RECORD.test(url)) return new URL(url, projectBase).href;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "https:" || parsed.username || parsed.password) return null;
  return parsed.href;
}

// Long answers: a short first bubble, then the steps one tap away. An answer is "long" when it
// has at least three steps ("- " or "1. ") and more than LONG_CHARS characters; a long ending
// after the steps is folded with them. A step with 999 in it is never hidden unless the visible
// part gives 999 too.
const LONG_CHARS = 280;
const LONG_TAIL_CHARS = 160;
const STEP = /^\s*(?:[-•]|\d{1,2}[.)])\s+/; // "- step" or "1. step"

export function splitLongAnswer(text) {
  if (typeof text !== "string" || text.length <= LONG_CHARS) return null;
  const lines = text.split("\n");
  const first = lines.findIndex((l) => STEP.test(l));
  let last = -1;
  lines.forEach((l, i) => {
    if (STEP.test(l)) last = i;
  });
  if (first < 0) return null;
  const steps = [];
  for (const line of lines.slice(first, last + 1)) {
    if (STEP.test(line)) steps.push(line.replace(STEP, "").trim());
    else if (line.trim()) steps[steps.length - 1] += " " + line.trim(); // a step's second line
  }
  let lead = lines.slice(0, first).join("\n").trim();
  const tail = lines.slice(last + 1).join("\n").trim();
  if (!lead) lead = steps.shift();
  if (steps.length < 2) return null;
  const hidden999 = steps.some((s) => s.includes("999"));
  if (hidden999 && !lead.includes("999") && !tail.includes("999")) return null;
  // a long ending goes behind the same tap, unless it is where 999 is
  const foldTail = tail.length > LONG_TAIL_CHARS && !tail.includes("999");
  return { lead, steps, tail: foldTail ? "" : tail, more: foldTail ? tail : "" };
}

// Colours a force configures must keep text readable (WCAG 2.2 AA: 4.5:1).
export function parseHex(colour) {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(typeof colour === "string" ? colour.trim() : "");
  if (!m) return null;
  const hex = m[1].length === 3 ? [...m[1]].map((c) => c + c).join("") : m[1];
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

function luminance([r, g, b]) {
  const lin = (v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrastRatio(a, b) {
  const ca = parseHex(a);
  const cb = parseHex(b);
  if (!ca || !cb) return 0;
  const [hi, lo] = [luminance(ca), luminance(cb)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// A conversation id for the REST channel: random, and never the socket channel's "web-" prefix
// (channels/chat_sessions.py).
export function restConversationId(randomBytes) {
  return "chat-" + Array.from(randomBytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
