#!/usr/bin/env node
// Checks Mermaid text with the real Mermaid parser: `node scripts/check-mermaid.mjs
// [FILE...]` parses every FILE (standard input when none is given, or for
// `-`), prints each failure with the file's name and Mermaid's message, and
// exits 1 if any fails. Run by .ci/test on what `release calendar --format
// mermaid` and `release graph --format mermaid` print; needs `npm ci` first.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

// Mermaid's parser sanitises text with DOMPurify, which needs a window and a
// document: jsdom's, as globals, before mermaid is loaded.
const dom = new JSDOM("<!doctype html><html><body></body></html>", {
  pretendToBeVisual: true,
});
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const name of ["DOMParser", "Element", "HTMLElement", "Node", "NodeFilter", "DocumentFragment"]) {
  if (!(name in globalThis)) {
    globalThis[name] = dom.window[name];
  }
}

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

// The parser takes a Gantt chart's task data as text; its dates are read
// when the chart is drawn. Read them now, as drawing does, so a date the
// chart's dateFormat does not read fails here too.
function checkGanttTasks(diagram) {
  let tasks;
  try {
    tasks = diagram.db.getTasks();
  } catch (e) {
    throw new Error(`Mermaid cannot read the chart's tasks: ${e?.message ?? e}`);
  }
  for (const t of tasks) {
    const valid = (d) => d instanceof Date && !Number.isNaN(d.getTime());
    if (!valid(t.startTime) || !valid(t.endTime)) {
      throw new Error(`task ${JSON.stringify(t.task.trim())} (${t.id}): its start or end is not a date`);
    }
    if (t.endTime < t.startTime) {
      throw new Error(`task ${JSON.stringify(t.task.trim())} (${t.id}): it ends before it starts`);
    }
  }
}

const files = process.argv.slice(2);
if (files.length === 0) {
  files.push("-");
}
let failed = 0;
for (const file of files) {
  const name = file === "-" ? "<stdin>" : file;
  let text;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (e) {
    console.error(`${name}: cannot read: ${e.message}`);
    failed += 1;
    continue;
  }
  if (text.trim() === "") {
    console.error(`${name}: empty: no Mermaid text to check`);
    failed += 1;
    continue;
  }
  try {
    const result = await mermaid.parse(text);
    if (!result) {
      throw new Error("not recognised as a Mermaid diagram");
    }
    if (result.diagramType === "gantt") {
      checkGanttTasks(await mermaid.mermaidAPI.getDiagramFromText(text));
    }
    console.log(`${name}: ok (${result.diagramType})`);
  } catch (e) {
    const message = String(e?.message ?? e).trim();
    console.error(`${name}: Mermaid cannot parse it:\n${message.replace(/^/gm, "    ")}`);
    failed += 1;
  }
}
if (failed > 0) {
  console.error(`${failed} of ${files.length} Mermaid file(s) failed`);
  process.exit(1);
}
