// Import and export of the book as CSV, in the columns `contactd export` writes.
//
// A file is sent to `/x/contacts/import` in chunks of rows, each with the header again
// and the file line its header would stand at, so the server's per-row report names the
// file's own lines and the progress bar moves chunk by chunk. The server parses the CSV;
// the page only finds where records end (a newline outside quotes), so a quoted field
// with a newline in it stays whole.

import { authed } from "./api.js";
import { h, field, replace, outcome, say } from "./dom.js";

const ROWS_PER_CHUNK = 200;

/** The file's records: their text and the file lines they start and end on. */
export function records(text) {
  const found = [];
  let start = 0;
  let line = 1;
  let startLine = 1;
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (char === "\n") {
      if (!quoted) {
        found.push({ text: text.slice(start, i), startLine, endLine: line });
        start = i + 1;
        startLine = line + 1;
      }
      line += 1;
    }
  }
  if (start < text.length) found.push({ text: text.slice(start), startLine, endLine: line });
  return found;
}

export function showImport(main) {
  const file = h("input", { type: "file", name: "csv", accept: ".csv,text/csv" });
  const button = h("button", { type: "submit" }, "Import");
  const progress = h("progress", { max: 1, value: 0, "aria-label": "Import progress" });
  const counted = h("p", { class: "summary", "aria-live": "polite" });
  const report = h("div", { class: "report" });
  const box = outcome();

  async function run(event) {
    event.preventDefault();
    const chosen = file.files && file.files[0];
    if (!chosen) {
      say(box, "Choose a CSV file first.", { error: true });
      return;
    }
    button.disabled = true;
    replace(report);
    const [header, ...rows] = records(await chosen.text());
    const total = rows.filter((r) => r.text.trim()).length;
    progress.max = Math.max(total, 1);
    progress.value = 0;
    let stored = 0;
    let done = 0;
    const rejected = [];
    try {
      for (let at = 0; at < rows.length; at += ROWS_PER_CHUNK) {
        const chunk = rows.slice(at, at + ROWS_PER_CHUNK);
        const csv = [header.text, ...chunk.map((r) => r.text)].join("\n");
        const answer = await authed("/x/contacts/import", { csv, first_line: chunk[0].startLine - 1 });
        stored += answer.stored;
        rejected.push(...answer.rejected);
        done += chunk.filter((r) => r.text.trim()).length;
        progress.value = done;
        counted.textContent = `${done} of ${total} rows read: ${stored} stored, ${rejected.length} rejected`;
      }
      say(box, `Import finished: ${stored} stored, ${rejected.length} rejected.`, { error: rejected.length > 0 });
    } catch (error) {
      say(box, `Import stopped: ${error.message} (${stored} stored before it).`, { error: true });
    } finally {
      button.disabled = false;
      if (rejected.length) replace(report, rejectedTable(rejected));
    }
  }

  main.append(
    h(
      "section",
      { class: "card" },
      h("h1", {}, "Import contacts"),
      h("p", {}, "A CSV file with a header row and the columns contactd export writes; phone_no is required."),
      h("form", { onsubmit: run }, field("CSV file", file), button),
      progress,
      counted,
      box,
      report,
    ),
  );
}

function rejectedTable(rejected) {
  return h(
    "table",
    { class: "rejected" },
    h("caption", {}, `Rejected rows (${rejected.length})`),
    h("thead", {}, h("tr", {}, ["Line", "Phone", "Reason"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rejected.map((r) => h("tr", {}, h("td", {}, r.line), h("td", {}, r.phone_no), h("td", {}, r.reason)))),
  );
}

/** Download the whole book as `contacts.csv`. */
export async function exportBook(box) {
  say(box, "Exporting…");
  try {
    const response = await authed("/x/contacts/export", {}, { raw: true });
    const blob = await response.blob();
    const link = h("a", { href: URL.createObjectURL(blob), download: "contacts.csv" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    say(box, "Exported contacts.csv.");
  } catch (error) {
    say(box, error.message, { error: true });
  }
}
