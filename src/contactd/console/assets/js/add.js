// Add contact: `/v3/contact/add` with one contact; a taken number (409) or a refused
// field is shown beside the field it names.

import { authed } from "./api.js";
import { h, field, outcome, say, showFieldError, clearFieldErrors } from "./dom.js";
import { flashNext } from "./flash.js";
import { controlsFor, label, valuesOf } from "./forms.js";

const FIELDS = ["phone_no", "first_name", "last_name", "email_id", "company", "job_title"];

export function showAddContact(main) {
  const controls = controlsFor(FIELDS);
  const box = outcome();
  const button = h("button", { type: "submit" }, "Save");

  async function save(event) {
    event.preventDefault();
    clearFieldErrors(form);
    const contact = valuesOf(controls);
    button.disabled = true;
    try {
      const answer = await authed("/v3/contact/add", { contacts: [contact] });
      flashNext(`Added ${contact.first_name} ${contact.last_name}`.trim() + ".");
      location.hash = `#/contact/${answer.contact_ids[0]}`;
    } catch (error) {
      // A duplicate (409) names the phone; a refused field is named in the message.
      const named = error.status === 409 ? "phone_no" : error.fieldIn(Object.keys(controls));
      if (named) showFieldError(controls[named], error.message);
      say(box, error.message, { error: true });
    } finally {
      button.disabled = false;
    }
  }

  const form = h(
    "form",
    { class: "edit", onsubmit: save },
    FIELDS.map((name) => field(label(name), controls[name])),
    button,
    box,
  );
  main.append(h("section", { class: "card narrow" }, h("h1", {}, "Add contact"), form));
  controls.phone_no.focus();
}
