// ruff-wasm.mjs: Ruff (compiled to WebAssembly, @astral-sh/ruff-wasm-nodejs, pinned in
// package-lock.json) on the same files as memlint, with the rules comparable to memlint's.
//
//   node ruff-wasm.mjs [--select C4,PERF,...] [FILE...]     (no FILE: one path per line on stdin)
//
// Prints one line per finding (`path:row:col: CODE message`), then a summary line to stderr:
// files, findings, files whose check threw, and seconds spent inside the process (excluding
// node's start-up and the WebAssembly module's instantiation, which the wall time includes).
// One Workspace, one thread: the wasm build has no parallelism.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const { Workspace, PositionEncoding } = require("@astral-sh/ruff-wasm-nodejs");

const DEFAULT_SELECT = ["C4", "PERF", "SLOT", "B019", "FURB129"];

let select = DEFAULT_SELECT;
let files = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--select") select = args[++i].split(",").filter(Boolean);
  else if (args[i].startsWith("--select=")) select = args[i].slice(9).split(",").filter(Boolean);
  else files.push(args[i]);
}
if (files.length === 0) {
  files = readFileSync(0, "utf8").split("\n").filter(Boolean);
}

const workspace = new Workspace(
  { lint: { select, preview: false }, "target-version": "py311" },
  PositionEncoding.Utf8,
);

const start = process.hrtime.bigint();
let findings = 0;
let failed = 0;
let syntaxErrors = 0;
const out = [];
for (const path of files) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    failed++;
    process.stderr.write(`ruff-wasm: cannot read ${path}: ${e.message}\n`);
    continue;
  }
  let diagnostics;
  try {
    diagnostics = workspace.check(text);
  } catch (e) {
    failed++;
    process.stderr.write(`ruff-wasm: check failed on ${path}: ${e}\n`);
    continue;
  }
  for (const d of diagnostics) {
    // Syntax errors come back without a code or as `invalid-syntax`: not findings of the rules.
    if (d.code === null || !/^[A-Z]+[0-9]+$/.test(d.code)) {
      syntaxErrors++;
      continue;
    }
    findings++;
    out.push(`${path}:${d.start_location.row}:${d.start_location.column}: ${d.code} ${d.message}\n`);
    if (out.length >= 4096) process.stdout.write(out.splice(0).join(""));
  }
}
process.stdout.write(out.join(""));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stderr.write(
  `ruff-wasm ${Workspace.version()}: files=${files.length} findings=${findings} ` +
    `syntax_errors=${syntaxErrors} failed=${failed} seconds=${seconds.toFixed(3)}\n`,
);
