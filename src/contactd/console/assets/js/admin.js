// Admin: the app's agents and users, with the app id and secret. Those are kept in this
// module only, for the page's lifetime (never in storage), and every call sends them in
// its body as the vendor's admin endpoints take them.

import { call } from "./api.js";
import { h, field, replace, outcome, say, showFieldError, clearFieldErrors } from "./dom.js";
import { controlsFor, label, valuesOf } from "./forms.js";

const PAGE = 100;
let credentials = null;

export function showAdmin(main) {
  const section = h("section", { class: "card" }, h("h1", {}, "Admin"));
  main.append(section);
  if (credentials) opened(section);
  else signIn(section);
}

function signIn(section) {
  const appid = h("input", { name: "appid", inputmode: "numeric", autocomplete: "off", required: true });
  const secret = h("input", { name: "secret", type: "password", autocomplete: "off", required: true });
  const box = outcome();

  async function open(event) {
    event.preventDefault();
    const tried = { appid: Number(appid.value.trim()), secret: secret.value };
    try {
      await call("/v3/user/list", { ...tried, page: 1, limit: 1 });
      credentials = tried;
      replace(section, h("h1", {}, "Admin"));
      opened(section);
    } catch (error) {
      say(box, error.message, { error: true });
    }
  }

  section.append(
    h("p", {}, "The app's id and secret open its administration; they are forgotten when this page closes."),
    h("form", { class: "narrow", onsubmit: open }, field("App ID", appid), field("Secret", secret), h("button", { type: "submit" }, "Open"), box),
  );
  appid.focus();
}

function opened(section) {
  const box = outcome();
  const list = h("div", { class: "principals" });

  async function refresh() {
    const everyone = [];
    for (let page = 1; ; page += 1) {
      const answer = await call("/v3/user/list", { ...credentials, page, limit: PAGE });
      everyone.push(...answer.agents);
      if (everyone.length >= answer.count || !answer.agents.length) break;
    }
    replace(list, principalsTable(everyone, remove));
  }

  async function remove(principal) {
    if (!window.confirm(`Remove ${principal.agent_id}? Their sign-in stops working.`)) return;
    try {
      await call("/v3/user/remove", { ...credentials, agent_id: principal.agent_id });
      say(box, `Removed ${principal.agent_id}.`);
      await refresh();
    } catch (error) {
      say(box, error.message, { error: true });
    }
  }

  const close = h("button", { type: "button", onclick: () => { credentials = null; replace(section, h("h1", {}, "Admin")); signIn(section); } }, "Close");
  section.append(
    h("div", { class: "toolbar" }, h("span", {}, `App ${credentials.appid}`), close),
    box,
    h("h2", {}, "Agents and users"),
    list,
    addForm(refresh),
    unlockForm(),
  );
  refresh().catch((error) => say(box, error.message, { error: true }));
}

function principalsTable(principals, remove) {
  return h(
    "table",
    { class: "principals" },
    h("thead", {}, h("tr", {}, ["ID", "Name", "Extension", "Phone", ""].map((c) => h("th", { scope: "col" }, c)))),
    h(
      "tbody",
      {},
      principals.map((p) =>
        h(
          "tr",
          {},
          h("td", {}, p.agent_id),
          h("td", {}, `${p.first_name} ${p.last_name}`.trim()),
          h("td", {}, p.extension),
          h("td", {}, p.phone),
          h("td", {}, h("button", { type: "button", class: "danger", onclick: () => remove(p) }, "Remove")),
        ),
      ),
    ),
  );
}

const ADD_FIELDS = ["extension", "first_name", "last_name", "phone_number", "password"];

function addForm(refresh) {
  const kind = h(
    "select",
    { name: "kind" },
    h("option", { value: "agent" }, "Agent (v1 sign-in)"),
    h("option", { value: "user" }, "User (v2/v3 sign-in)"),
  );
  const controls = controlsFor(ADD_FIELDS);
  const box = outcome();

  async function add(event) {
    event.preventDefault();
    clearFieldErrors(form);
    const v = valuesOf(controls);
    const common = { ...credentials, extension: Number(v.extension), phone_number: v.phone_number, password: v.password };
    try {
      const answer =
        kind.value === "agent"
          ? await call("/v1/agent/add", { ...common, name: `${v.first_name} ${v.last_name}`.trim() })
          : await call("/v3/user/add", { ...common, first_name: v.first_name, last_name: v.last_name });
      const id = answer.agent ? answer.agent.agent_id : `${v.extension}_${credentials.appid}`;
      say(box, `Added ${id}.`);
      for (const control of Object.values(controls)) control.value = "";
      await refresh();
    } catch (error) {
      const named = error.fieldIn(["name", ...Object.keys(controls)]);
      const control = named === "name" ? controls.first_name : controls[named];
      if (control) showFieldError(control, error.message);
      say(box, error.message, { error: true });
    }
  }

  const form = h(
    "form",
    { class: "edit", onsubmit: add },
    h("h2", {}, "Add an agent or user"),
    field("Kind", kind),
    ADD_FIELDS.map((name) => field(label(name), controls[name])),
    h("button", { type: "submit" }, "Add"),
    box,
  );
  return form;
}

function unlockForm() {
  const id = h("input", { name: "id", autocomplete: "off" });
  const box = outcome();

  async function unlock(event) {
    event.preventDefault();
    try {
      const answer = await call("/x/admin/unlock", { ...credentials, id: id.value.trim() });
      say(box, answer.msg);
    } catch (error) {
      say(box, error.message, { error: true });
    }
  }

  return h(
    "form",
    { class: "edit", onsubmit: unlock },
    h("h2", {}, "Unlock a sign-in"),
    h("p", {}, "After too many wrong passwords an id is locked for a while; unlocking lets it sign in at once."),
    field("ID to unlock", id),
    h("button", { type: "submit" }, "Unlock"),
    box,
  );
}
