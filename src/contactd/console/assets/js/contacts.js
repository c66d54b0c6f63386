// Contacts: the one search box (`/x/contacts/search`: a name fragment, or 3+ digits of
// a number), searched as the agent types, with paging by cursor.

import { authed } from "./api.js";
import { h, field, replace, outcome, say } from "./dom.js";
import { contactTable, focusFirstRow } from "./table.js";
import { exportBook } from "./transfer.js";

/** How long typing must pause before a search is sent: short, so results follow the
 *  keys; a newer keystroke also cancels the request in flight. */
export const DEBOUNCE_MS = 40;
const PAGE = 20;
let lastQuery = "";

export function showContacts(main) {
  const search = h("input", {
    type: "search",
    name: "q",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "Name, or the last digits of a number",
    value: lastQuery,
  });
  const summary = h("p", { class: "summary", "aria-live": "polite" });
  const results = h("div", { class: "results" });
  const pager = h("div", { class: "pager" });
  const box = outcome();
  const state = { query: null, cursors: [null], page: 0, timer: 0, inflight: null, typed: null };

  async function load(query, page) {
    if (state.inflight) state.inflight.abort();
    const controller = new AbortController();
    state.inflight = controller;
    const body = { limit: PAGE, page_state: state.cursors[page] };
    if (query) body.q = query;
    try {
      const answer = await authed("/x/contacts/search", body, { signal: controller.signal });
      if (controller.signal.aborted) return;
      state.query = query;
      state.page = page;
      state.cursors[page + 1] = answer.page_state;
      render(query, answer);
      say(box, "");
    } catch (error) {
      if (error.name === "AbortError") return;
      say(box, error.message, { error: true });
    } finally {
      if (state.inflight === controller) state.inflight = null;
    }
  }

  function render(query, answer) {
    const table = contactTable(answer.contacts, {
      empty: query ? `No contact matches “${query}”.` : "No contacts yet.",
    });
    table.dataset.query = query;
    table.addEventListener("leave-top", () => search.focus());
    replace(results, table);
    const first = state.page * PAGE + (answer.contacts.length ? 1 : 0);
    const last = state.page * PAGE + answer.contacts.length;
    const what = query ? `match “${query}”` : "in the book";
    summary.textContent = `${answer.count} ${answer.count === 1 ? "contact" : "contacts"} ${what}` +
      (answer.count ? ` (showing ${first}–${last})` : "");
    replace(
      pager,
      h("button", { type: "button", disabled: state.page === 0, onclick: () => load(query, state.page - 1) }, "Previous"),
      h("button", { type: "button", disabled: !answer.page_state, onclick: () => load(query, state.page + 1) }, "Next"),
    );
    if (state.typed && state.typed.query === query) {
      // From the keystroke that made this query to its results on screen (the next
      // frame has them laid out): what bench/console_latency.py reports.
      const start = state.typed.at;
      state.typed = null;
      requestAnimationFrame(() => performance.measure("contactd:search", { start }));
    }
  }

  search.addEventListener("input", () => {
    const query = search.value.trim();
    state.typed = { query, at: performance.now() };
    clearTimeout(state.timer);
    lastQuery = query;
    state.cursors = [null];
    state.timer = setTimeout(() => load(query, 0), DEBOUNCE_MS);
  });
  search.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && focusFirstRow(results.querySelector("table"))) {
      event.preventDefault();
    }
  });

  main.append(
    h(
      "section",
      { class: "card" },
      h("h1", {}, "Contacts"),
      h(
        "div",
        { class: "toolbar" },
        h("a", { href: "#/add", class: "button" }, "Add contact"),
        h("a", { href: "#/import", class: "button" }, "Import"),
        h("button", { type: "button", onclick: () => exportBook(box) }, "Export"),
      ),
      h("form", { role: "search", onsubmit: (e) => e.preventDefault() }, field("Search contacts", search)),
      box,
      summary,
      results,
      pager,
    ),
  );
  search.focus();
  load(lastQuery, 0);
}
