// Sign in with an agent id (`101_1234567`) or a user id (`1001_1234567`) and password:
// both are principals of one model, and `/v2/user/login` signs in either.

import { call } from "./api.js";
import { h, field, outcome, say } from "./dom.js";
import { session } from "./session.js";

export function showSignIn(main) {
  const id = h("input", { name: "id", autocomplete: "username", required: true });
  const password = h("input", {
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const box = outcome();
  const farewell = session.takeFarewell();
  if (farewell) say(box, farewell, { error: !farewell.startsWith("You have signed out") });
  const button = h("button", { type: "submit" }, "Sign in");

  async function submit(event) {
    event.preventDefault();
    button.disabled = true;
    say(box, "Signing in…");
    try {
      const answer = await call("/v2/user/login", {
        id: id.value.trim(),
        password: password.value,
      });
      session.begin(answer.token, `${answer.agent.name} (${answer.agent.id})`);
      location.hash = "#/contacts";
    } catch (error) {
      say(box, error.message, { error: true });
      password.value = "";
      password.focus();
    } finally {
      button.disabled = false;
    }
  }

  main.append(
    h(
      "section",
      { class: "card narrow" },
      h("h1", {}, "Sign in"),
      h(
        "form",
        { onsubmit: submit },
        field("ID", id, { hint: "Your agent or user id, such as 1001_1234567" }),
        field("Password", password),
        button,
        box,
      ),
    ),
  );
  id.focus();
}
