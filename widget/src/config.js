// The configuration a force puts on the script tag, as one JSON object in data-config:
//   <script src="https://CHAT-SERVER/widget/chat.js" defer
//     data-config='{"server": "https://CHAT-SERVER", "force": "dorset", "language": "en",
//                   "colours": {"accent": "#10305a", "accentText": "#ffffff"},
//                   "quickExit": "https://www.bbc.co.uk/weather"}'></script>
// docs/widget.md describes each field.
import { TEXT } from "./text.js";
import { contrastRatio, parseHex } from "./format.js";

export const DEFAULTS = {
  language: "en",
  colours: { accent: "#1d3c6e", accentText: "#ffffff" },
  // GOV.UK's "Exit this page" goes to BBC Weather: neutral, fast, and unremarkable in a history
  quickExit: "https://www.bbc.co.uk/weather",
};
const MIN_CONTRAST = 4.5;

function httpUrl(value) {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

export function readConfig(script, warn = () => {}) {
  let raw = {};
  try {
    raw = JSON.parse(script.getAttribute("data-config") || "{}");
  } catch {
    warn("data-config is not valid JSON: using the defaults");
  }
  const server = httpUrl(raw.server);
  if (!server) warn('data-config needs "server": the chat server\'s address');
  const language = TEXT[raw.language] ? raw.language : DEFAULTS.language;
  if (raw.language && language !== raw.language) warn(`language "${raw.language}" is not available: using English`);
  let colours = { ...DEFAULTS.colours, ...(raw.colours || {}) };
  if (!parseHex(colours.accent) || !parseHex(colours.accentText) || contrastRatio(colours.accent, colours.accentText) < MIN_CONTRAST
      || contrastRatio(colours.accent, "#ffffff") < 3) {
    if (raw.colours) warn("the colours are invalid or too low in contrast (4.5:1 needed): using the defaults");
    colours = { ...DEFAULTS.colours };
  }
  const exit = httpUrl(raw.quickExit);
  if (raw.quickExit && !exit) warn('"quickExit" must be a full http(s) address: using the default');
  return {
    server: server ? server.origin + server.pathname.replace(/\/$/, "") : null,
    force: typeof raw.force === "string" && /^[a-z0-9_]{1,40}$/.test(raw.force) ? raw.force : null,
    language,
    colours,
    quickExit: exit ? exit.href : DEFAULTS.quickExit,
    // where this script came from: the project's own pages (availability, decision records)
    projectBase: new URL(script.src, document.baseURI).origin,
  };
}
