// check-reports.mjs: render Markdown postmortems as GitHub would, and fail on what a reader would see
// broken. Each file is rendered with cmark-gfm (GitHub's Markdown, its extensions on); then
//  - every ```mermaid block is rendered by the real Mermaid (mermaid-cli's renderMermaid() in one
//    Debian chromium driven by puppeteer): a parse or render error fails the file, naming the
//    block's line;
//  - every table row outside a <details> block must hold at most --max-row characters of text (its
//    cells' text, tags stripped and entities decoded, one space between cells).
// Usage: node check-reports.mjs --modules DIR [--max-row N] [--jobs N] PATH...
//   DIR: where tests/render/install.sh installed the npm packages; PATH: a report, or a directory
//   whose *.md files (recursively) are reports. Exit 0 when all pass, 1 when one fails or none was
//   found, 2 on misuse.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
let modules = null;
let maxRow = 200;
let jobs = 2;
const inputs = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--modules") modules = argv[++i];
  else if (a === "--max-row") maxRow = Number(argv[++i]);
  else if (a === "--jobs") jobs = Number(argv[++i]);
  else if (a.startsWith("--")) usage(`unknown option '${a}'`);
  else inputs.push(a);
}
if (!modules || !inputs.length || !(maxRow > 0) || !(jobs > 0)) usage("missing arguments");

function usage(why) {
  console.error(`check-reports.mjs: ${why}\nusage: node check-reports.mjs --modules DIR [--max-row N] [--jobs N] PATH...`);
  process.exit(2);
}

function collect(p, out) {
  let st;
  try {
    st = statSync(p);
  } catch (e) {
    fail(p, 0, `cannot read: ${e.code || e.message}`);
    return;
  }
  if (st.isDirectory()) {
    for (const e of readdirSync(p).sort()) {
      const q = path.join(p, e);
      if (statSync(q).isDirectory() || e.endsWith(".md")) collect(q, out);
    }
  } else out.push(p);
}

const failures = [];
const fail = (file, line, what) => failures.push(`${file}:${line}: ${what}`);
const files = [];
for (const p of inputs) collect(p, files);

const decode = (s) =>
  s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos|#39);/g, (_, e) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[e];
  });
const text = (html) => decode(html.replace(/<[^>]*>/g, ""));
const clip = (s, n) => (s.length > n ? s.slice(0, n) + "..." : s);

// GitHub's own renderer is cmark-gfm with these extensions; --unsafe keeps the raw <details> tags
// (GitHub keeps them too), --sourcepos gives every element its line in the Markdown.
function cmark(file) {
  return execFileSync("cmark-gfm", ["--unsafe", "--sourcepos", "-e", "table", "-e", "autolink",
    "-e", "strikethrough", "-e", "tagfilter", "-e", "tasklist", file], { encoding: "utf8", maxBuffer: 1 << 28 });
}

const diagrams = new Map(); // definition -> [{file, line}]: the same chart in many reports renders once
let nRows = 0;
let nBlocks = 0;
for (const file of files) {
  let html;
  try {
    html = cmark(file);
  } catch (e) {
    fail(file, 1, `cmark-gfm failed: ${e.message.split("\n")[0]}`);
    continue;
  }
  const pre = /<pre data-sourcepos="(\d+):[^"]*"><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g;
  for (let m; (m = pre.exec(html)); ) {
    nBlocks++;
    const def = decode(m[2]);
    if (!diagrams.has(def)) diagrams.set(def, []);
    diagrams.get(def).push({ file, line: Number(m[1]) });
  }
  // <details> nests: a row counts only at depth 0.
  const tag = /<(\/?)(details|tr)\b[^>]*>/g;
  let depth = 0;
  for (let m; (m = tag.exec(html)); ) {
    if (m[2] === "details") {
      depth = Math.max(0, depth + (m[1] ? -1 : 1));
      continue;
    }
    if (m[1]) continue;
    const end = html.indexOf("</tr>", tag.lastIndex);
    if (end < 0) break;
    const row = html.slice(tag.lastIndex, end);
    tag.lastIndex = end;
    nRows++;
    if (depth > 0) continue;
    const cells = [...row.matchAll(/<t[dh]\b[^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => text(c[1]).trim());
    const t = cells.join(" ");
    const n = [...t].length;
    if (n > maxRow) {
      const line = (/data-sourcepos="(\d+):/.exec(m[0]) || [, "?"])[1];
      fail(file, line, `table row of ${n} characters of text (at most ${maxRow} outside <details>): ${clip(t, 80)}`);
    }
  }
}

// Mermaid: one browser, a page per distinct chart (renderMermaid opens and closes it), --jobs at once.
if (diagrams.size) {
  const need = createRequire(path.join(path.resolve(modules), "package.json"));
  const { default: puppeteer } = await import(pathToFileURL(need.resolve("puppeteer")).href);
  const { renderMermaid } = await import(pathToFileURL(need.resolve("@mermaid-js/mermaid-cli")).href);
  const launch = JSON.parse(readFileSync(path.join(here, "puppeteer-config.json"), "utf8"));
  const browser = await puppeteer.launch(launch);
  const queue = [...diagrams.entries()];
  const worker = async () => {
    for (let item; (item = queue.shift()); ) {
      const [def, where] = item;
      let why = null;
      try {
        const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("no result in 60 s")), 60000).unref());
        const { data } = await Promise.race([renderMermaid(browser, def, "svg"), timeout]);
        const svg = new TextDecoder().decode(data);
        // Mermaid draws some errors as an "error" diagram instead of throwing.
        if (/aria-roledescription="error"/.test(svg) || /Syntax error in text/.test(svg)) why = "Mermaid drew its error diagram";
      } catch (e) {
        why = String(e && e.message ? e.message : e).split("\n").filter((l) => l.trim()).slice(0, 4).join(" / ");
      }
      if (why) {
        const first = where[0];
        // Mermaid counts lines from the block's first line: the report's line is after the fence.
        const at = /Parse error on line (\d+)/.exec(why);
        const line = at ? `${first.line + Number(at[1])}` : `${first.line}`;
        const more = where.length > 1 ? ` (the same chart in ${where.length - 1} more: ${where.slice(1, 4).map((w) => `${w.file}:${w.line}`).join(", ")}${where.length > 4 ? ", ..." : ""})` : "";
        fail(first.file, line, `Mermaid cannot render the \`\`\`mermaid block of line ${first.line}: ${clip(why, 400)}${more}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: jobs }, worker));
  } finally {
    await browser.close();
  }
}

const key = (f) => f.replace(/:(\d+):.*/s, (_, n) => `:${n.padStart(8, "0")}`);
failures.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`${files.length} report(s), ${nBlocks} mermaid block(s) (${diagrams.size} distinct) rendered, ${nRows} table row(s) checked: ${failures.length} failure(s)`);
if (!files.length) console.log("FAIL no report found: nothing was checked");
process.exit(failures.length || !files.length ? 1 : 0);
