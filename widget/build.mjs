// Builds the widget into static/build/: chat.js (the code, its styles and socket.io-client,
// from npm at the versions in package-lock.json) and licenses.txt. `make setup` runs it; the
// built file is never edited by hand. Prints the size a browser downloads (gzip).
import { build } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const out = new URL("./static/build/", import.meta.url);
mkdirSync(out, { recursive: true });

const bundled = ["socket.io-client", "engine.io-client", "engine.io-parser", "socket.io-parser", "@socket.io/component-emitter"];
const licences = bundled
  .map((name) => {
    const pkg = JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url)));
    let text = "";
    for (const file of ["LICENSE", "LICENSE.md", "license", "LICENSE.txt"]) {
      try {
        text = readFileSync(new URL(`./node_modules/${name}/${file}`, import.meta.url), "utf8");
        break;
      } catch {
        /* next name */
      }
    }
    return `${name} ${pkg.version} (${pkg.license})\n\n${text.trim()}\n`;
  })
  .join("\n---\n\n");
writeFileSync(new URL("licenses.txt", out), licences);

await build({
  entryPoints: [new URL("./src/main.js", import.meta.url).pathname],
  outfile: new URL("chat.js", out).pathname,
  bundle: true,
  minify: true,
  format: "iife",
  target: ["chrome100", "firefox100", "safari16"],
  loader: { ".css": "text" },
  legalComments: "none",
  banner: { js: "/*! Advice chat widget. Built by widget/build.mjs: do not edit. Includes socket.io-client and its dependencies (MIT): see licenses.txt */" },
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
});

const code = readFileSync(new URL("chat.js", out));
const kb = (n) => (n / 1024).toFixed(1);
console.log(`widget built: static/build/chat.js ${kb(code.length)} KB, ${kb(gzipSync(code, { level: 9 }).length)} KB gzipped (script and styles)`);
