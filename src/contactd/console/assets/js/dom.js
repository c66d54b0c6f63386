// Building the page: every value becomes a text node or an attribute, never markup, so
// a contact named `<img onerror=...>` shows those characters and runs nothing.

/** An element with attributes, `on*` listeners, and children (strings become text). */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  // The API checks every field and its message names the field: the console shows that
  // message beside it rather than the browser's own, which would stop the request.
  if (tag === "form") el.noValidate = true;
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "value" || key === "checked") {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replace a node's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let fieldIds = 0;

/** A labelled form control: `<label>` + control (+ a place for its error message). */
export function field(label, control, { hint } = {}) {
  fieldIds += 1;
  control.id = control.id || `field-${fieldIds}`;
  const error = h("p", { class: "field-error", id: `${control.id}-error`, hidden: true });
  control.setAttribute("aria-describedby", error.id);
  return h(
    "div",
    { class: "field" },
    h("label", { for: control.id }, label),
    control,
    hint ? h("p", { class: "hint" }, hint) : null,
    error,
  );
}

/** Show `message` beside `control` (the API's message for the field it names). */
export function showFieldError(control, message) {
  const error = document.getElementById(`${control.id}-error`);
  control.setAttribute("aria-invalid", "true");
  if (error) {
    error.textContent = message;
    error.hidden = false;
  }
}

export function clearFieldErrors(root) {
  for (const control of root.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
  }
  for (const error of root.querySelectorAll(".field-error")) {
    error.textContent = "";
    error.hidden = true;
  }
}

/** A message box for a form's outcome; `role=alert` for errors so it is announced. */
export function outcome() {
  return h("p", { class: "outcome", role: "status", "aria-live": "polite" });
}

export function say(box, message, { error = false } = {}) {
  box.textContent = message;
  box.classList.toggle("error", error);
  box.setAttribute("role", error ? "alert" : "status");
}
