// Callbacks: contacts whose reminder has passed (overdue) and those due later today, in
// the browser's time zone, each list from `/x/contacts/due` with its count.

import { authed } from "./api.js";
import { h, replace, outcome, say } from "./dom.js";
import { contactTable } from "./table.js";
import { today } from "./times.js";

const PAGE = 50;

export function showCallbacks(main) {
  const now = Date.now();
  const [, endOfToday] = today();
  const box = outcome();
  const section = h("section", { class: "card" }, h("h1", {}, "Callbacks"), box);
  main.append(section);
  for (const list of [
    { title: "Overdue", id: "overdue", window: { before: now }, empty: "Nothing overdue." },
    { title: "Due today", id: "due-today", window: { after: now, before: endOfToday }, empty: "Nothing more due today." },
  ]) {
    section.append(dueList(list, box));
  }
}

function dueList({ title, id, window, empty }, box) {
  const heading = h("h2", { id: `${id}-heading` }, title);
  const holder = h("div", { "aria-labelledby": heading.id });
  const more = h("div", { class: "pager" });
  const shown = [];

  async function load(pageState) {
    try {
      const answer = await authed("/x/contacts/due", { ...window, limit: PAGE, page_state: pageState });
      shown.push(...answer.contacts);
      heading.textContent = `${title} (${answer.count})`;
      const table = contactTable(shown, { empty });
      table.id = id;
      replace(holder, table);
      replace(
        more,
        answer.page_state
          ? h("button", { type: "button", onclick: () => load(answer.page_state) }, `More ${title.toLowerCase()}`)
          : null,
      );
    } catch (error) {
      say(box, error.message, { error: true });
    }
  }

  load(null);
  return h("div", { class: "due" }, heading, holder, more);
}
