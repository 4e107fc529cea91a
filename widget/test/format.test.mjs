// The widget's pure helpers (node --test; `make widget-test`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { contrastRatio, restConversationId, safeLink, splitLongAnswer } from "../src/format.js";

const BASE = "http://127.0.0.1:8080";

test("links: https pages and the project's own records only", () => {
  assert.equal(safeLink("https://www.childline.org.uk/remove", BASE), "https://www.childline.org.uk/remove");
  const record = "/records/" + "a".repeat(43) + ".pdf";
  assert.equal(safeLink(record, BASE), BASE + record);
  for (const bad of ["http://example.com", "javascript:alert(1)", "data:text/html,x", "/records/x.pdf", "//evil.example/x",
    "https://user:pw@example.com", "/elsewhere", 42, null]) {
    assert.equal(safeLink(bad, BASE), null, String(bad));
  }
});

const LONG = [
  "It's OK. You did the right thing asking for help.",
  "Here's what you can do:",
  "- Ask the person to delete it, and not to share it.",
  "- You don't have to send any more, even if they ask.",
  "- Report Remove can help get it taken down: childline.org.uk/remove",
  "- Talk to an adult you trust, like a parent, carer or teacher.",
  "If someone is threatening you or asking for money, tell me. It's not your fault.",
].join("\n");

test("a long answer: a short first bubble, the steps, and what follows them", () => {
  const split = splitLongAnswer(LONG);
  assert.equal(split.lead, "It's OK. You did the right thing asking for help.\nHere's what you can do:");
  assert.equal(split.steps.length, 4);
  assert.equal(split.steps[0], "Ask the person to delete it, and not to share it.");
  assert.match(split.tail, /not your fault/);
  assert.equal(split.more, "");
});

test("a long ending is folded with the steps, unless it gives 999", () => {
  const ending = "\nThat means the police decide not to take it any further, and you'd get advice and lessons about staying safe instead. They record you as a person involved.";
  assert.match(splitLongAnswer(LONG + ending).more, /person involved/);
  assert.equal(splitLongAnswer(LONG + ending + " In danger, call 999.").more, "");
});

test("short answers and answers without steps stay whole", () => {
  assert.equal(splitLongAnswer("Hi. How can I help?"), null);
  assert.equal(splitLongAnswer("word ".repeat(100)), null);
});

test("999 is never hidden behind a tap", () => {
  const danger = LONG.replace("- Talk to an adult", "- In danger? Call 999.\n- Talk to an adult");
  assert.equal(splitLongAnswer(danger), null);
  assert.ok(splitLongAnswer(danger.replace("tell me.", "tell me. In danger, call 999.")));
});

test("contrast: the WCAG formula", () => {
  assert.equal(Math.round(contrastRatio("#000000", "#ffffff")), 21);
  assert.ok(contrastRatio("#10305a", "#ffffff") >= 4.5);
  assert.ok(contrastRatio("#777777", "#ffffff") < 4.5);
  assert.equal(contrastRatio("red", "#fff"), 0);
});

test("REST conversation ids never use the socket channel's prefix", () => {
  const id = restConversationId(new Uint8Array(16).fill(255));
  assert.match(id, /^chat-[0-9a-f]{32}$/);
});

test("numbered steps count as steps", () => {
  const text = "Under 18? Use Report Remove.\nHow it works:\n" + [1, 2, 3, 4].map((n) => `${n}. Step number ${n} of the way Report Remove works, in a line of text.`).join("\n");
  const split = splitLongAnswer(text);
  assert.equal(split.steps.length, 4);
  assert.equal(split.steps[1], "Step number 2 of the way Report Remove works, in a line of text.");
});
