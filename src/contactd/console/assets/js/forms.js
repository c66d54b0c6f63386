// The form fields the console asks for, by the API field name each is sent as: its
// label (an accessible name that tests and screen readers rely on) and its kind of
// control are defined here once. A form lists the names it shows.

import { h } from "./dom.js";

// A label is the field's name in words ("job_title": "Job title") but for these.
const LABELS = { phone_no: "Phone", phone_number: "Phone", email_id: "Email", remindme: "Reminder" };
const KINDS = {
  phone_no: "tel", phone_number: "tel", email_id: "email",
  password: "password", remindme: "datetime-local", note: "textarea",
};

export function label(name) {
  const words = name.replaceAll("_", " ");
  return LABELS[name] || words.charAt(0).toUpperCase() + words.slice(1);
}

/** A control per API field name, keyed by that name. */
export function controlsFor(names) {
  return Object.fromEntries(
    names.map((name) => {
      const kind = KINDS[name] || "text";
      if (kind === "textarea") return [name, h("textarea", { name, rows: 3 })];
      const autocomplete = kind === "password" ? "new-password" : "off";
      return [name, h("input", { name, type: kind, autocomplete })];
    }),
  );
}

/** The trimmed values of `controls` (a password as typed), keyed by field name. */
export function valuesOf(controls) {
  return Object.fromEntries(
    Object.entries(controls).map(([name, control]) => [
      name,
      name === "password" ? control.value : control.value.trim(),
    ]),
  );
}
