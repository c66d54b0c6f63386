// A contact's page: every field of both generations, the notes newest first, one form
// that saves what changed (`/x/contacts/update`) and a delete that asks first.

import { authed } from "./api.js";
import { h, field, replace, outcome, say, showFieldError, clearFieldErrors } from "./dom.js";
import { flashNext } from "./flash.js";
import { controlsFor, label } from "./forms.js";
import { displayName } from "./table.js";
import { localTime, toInput, fromInput } from "./times.js";

// The form's fields, in the order it shows them.
const EDITABLE = [
  "first_name", "last_name", "email_id", "company", "job_title",
  "tag", "status", "remindme", "note",
];

// Every field of both generations, as the page lists them.
const SHOWN = [
  ["Contact id", "contact_id"],
  ["Phone", "phone_no", (c) => `+${c.phone_no}`],
  ["Mobile (v1)", "mobile"],
  ["Name (v1)", "name"],
  ["First name", "first_name"],
  ["Last name", "last_name"],
  ["Email", "email_id"],
  ["Company", "company"],
  ["Job title", "job_title"],
  ["Tag", "tag"],
  ["Status", "status"],
  ["Reminder", "remindme", (c) => localTime(c.remindme)],
  ["Saved", "time", (c) => localTime(c.time)],
  ["Saved by", "agent"],
  ["Info (last note)", "info"],
];

export async function showContact(main, contactId) {
  const box = outcome();
  const section = h("section", { class: "card" }, h("h1", {}, "Contact"), box);
  main.append(section);
  try {
    const answer = await authed("/x/contacts/get", { contact_id: contactId });
    replace(section);
    render(section, answer.contact);
  } catch (error) {
    say(box, error.message, { error: true });
  }
}

function render(section, contact) {
  const box = outcome();
  const controls = controlsFor(EDITABLE);
  fill(controls, contact);
  const saveButton = h("button", { type: "submit" }, "Save");

  async function save(event) {
    event.preventDefault();
    clearFieldErrors(form);
    const changes = changed(controls, contact);
    if (!Object.keys(changes).length) {
      say(box, "Nothing changed.");
      return;
    }
    saveButton.disabled = true;
    try {
      const answer = await authed("/x/contacts/update", { contact_id: contact.contact_id, ...changes });
      replace(section);
      render(section, answer.contact);
      say(section.querySelector(".outcome"), "Saved.");
    } catch (error) {
      const named = error.fieldIn(Object.keys(controls));
      if (named) showFieldError(controls[named], error.message);
      say(box, error.message, { error: true });
    } finally {
      saveButton.disabled = false;
    }
  }

  async function remove() {
    if (!window.confirm(`Delete ${displayName(contact)}? This cannot be undone.`)) return;
    try {
      await authed("/v3/contact/delete", { contact_ids: [contact.contact_id] });
      flashNext(`Deleted ${displayName(contact)}.`);
      location.hash = "#/contacts";
    } catch (error) {
      say(box, error.message, { error: true });
    }
  }

  const form = h(
    "form",
    { class: "edit", onsubmit: save },
    EDITABLE.map((name) => field(label(name), controls[name])),
    h("div", { class: "toolbar" }, saveButton, h("button", { type: "button", class: "danger", onclick: remove }, "Delete")),
    box,
  );
  const notes = [...contact.notes].reverse();
  section.append(
    h("h1", {}, displayName(contact)),
    h("p", {}, h("a", { href: `tel:+${contact.phone_no}` }, `Call +${contact.phone_no}`)),
    h(
      "div",
      { class: "columns" },
      h("div", {}, h("h2", {}, "Change"), form),
      h(
        "div",
        {},
        h("h2", {}, "Details"),
        h(
          "dl",
          { class: "details" },
          SHOWN.map(([label, key, show]) => [h("dt", {}, label), h("dd", { "data-field": key }, show ? show(contact) : contact[key])]),
        ),
        h("h2", {}, `Notes (${notes.length})`),
        notes.length
          ? h(
              "ol",
              { class: "notes", reversed: true },
              notes.map((note) =>
                h("li", {}, h("p", { class: "note-msg" }, note.msg), h("p", { class: "note-meta" }, `${localTime(note.date)} · ${note.agent}`)),
              ),
            )
          : h("p", {}, "No notes yet."),
      ),
    ),
  );
}

function fill(controls, contact) {
  for (const name of EDITABLE) {
    if (name === "note") controls.note.value = "";
    else if (name === "remindme") controls.remindme.value = toInput(contact.remindme);
    else controls[name].value = contact[name] ?? "";
  }
}

/** The fields whose control differs from the stored contact, as the API takes them. */
function changed(controls, contact) {
  const changes = {};
  for (const name of EDITABLE) {
    const value = controls[name].value;
    if (name === "note") {
      if (value.trim()) changes.note = value;
    } else if (name === "remindme") {
      if (value !== toInput(contact.remindme)) changes.remindme = fromInput(value);
    } else if (value !== (contact[name] ?? "")) {
      changes[name] = value;
    }
  }
  return changes;
}
