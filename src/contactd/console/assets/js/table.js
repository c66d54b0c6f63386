// The contacts table of the search and the callbacks: one row a contact, its name a
// link to the contact's page; arrow keys move between rows, Enter opens one.

import { h } from "./dom.js";
import { localTime } from "./times.js";

const COLUMNS = ["Name", "Phone", "Tag", "Status", "Next reminder", "Saved by"];

/** The name a contact is shown (and its row's link named) by. */
export function displayName(contact) {
  return contact.name.trim() || `+${contact.phone_no}`;
}

export function contactRow(contact) {
  return h(
    "tr",
    {},
    h("td", {}, h("a", { href: `#/contact/${contact.contact_id}`, class: "row-link" }, displayName(contact))),
    h("td", {}, h("a", { href: `tel:+${contact.phone_no}` }, `+${contact.phone_no}`)),
    h("td", {}, contact.tag),
    h("td", {}, contact.status),
    h("td", {}, localTime(contact.remindme)),
    h("td", {}, contact.agent),
  );
}

export function contactTable(contacts, { caption, empty = "No contacts." } = {}) {
  const body = h("tbody", {}, contacts.map(contactRow));
  if (!contacts.length) body.append(h("tr", {}, h("td", { colspan: COLUMNS.length }, empty)));
  const table = h(
    "table",
    { class: "contacts", onkeydown: moveBetweenRows },
    caption ? h("caption", {}, caption) : null,
    h("thead", {}, h("tr", {}, COLUMNS.map((c) => h("th", { scope: "col" }, c)))),
    body,
  );
  return table;
}

/** Focus the first row's link of `table` (from the search field's ArrowDown). */
export function focusFirstRow(table) {
  const first = table && table.querySelector("a.row-link");
  if (first) first.focus();
  return Boolean(first);
}

function moveBetweenRows(event) {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  const links = [...event.currentTarget.querySelectorAll("a.row-link")];
  const at = links.indexOf(document.activeElement);
  if (at < 0) return;
  event.preventDefault();
  const next = event.key === "ArrowDown" ? at + 1 : at - 1;
  if (next >= 0 && next < links.length) links[next].focus();
  else if (next < 0) event.currentTarget.dispatchEvent(new CustomEvent("leave-top", { bubbles: true }));
}
