// The console's router: one view at a time in <main>, chosen by the URL's hash
// (`#/contacts`, `#/contact/<id>`, ...). Views other than sign-in and admin need a token.

import { session } from "./session.js";
import { showSignIn } from "./signin.js";
import { showContacts } from "./contacts.js";
import { showCallbacks } from "./callbacks.js";
import { showContact } from "./contact.js";
import { showAddContact } from "./add.js";
import { showImport } from "./transfer.js";
import { showAdmin } from "./admin.js";
import { takeFlash } from "./flash.js";

const views = {
  signin: { show: showSignIn, open: true },
  contacts: { show: showContacts },
  callbacks: { show: showCallbacks },
  contact: { show: showContact },
  add: { show: showAddContact },
  import: { show: showImport },
  admin: { show: showAdmin, open: true },
};

const main = document.getElementById("view");
const flash = document.getElementById("flash");

function route() {
  const [name, ...rest] = location.hash.replace(/^#\/?/, "").split("/");
  const view = views[name] || views.contacts;
  const wanted = views[name] ? name : "contacts";
  if (!view.open && !session.token()) {
    location.hash = "#/signin";
    return;
  }
  for (const link of document.querySelectorAll("nav a")) {
    if (link.dataset.view === wanted) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  flash.textContent = takeFlash();
  main.replaceChildren();
  view.show(main, ...rest.map(decodeURIComponent));
}

function showWho() {
  const signedIn = Boolean(session.token());
  document.getElementById("who").textContent = signedIn ? session.who() : "";
  document.getElementById("sign-out").hidden = !signedIn;
}

document.getElementById("sign-out").addEventListener("click", () => {
  session.end("You have signed out.");
});
session.onChange(showWho);
window.addEventListener("hashchange", route);
showWho();
if (!location.hash) location.hash = session.token() ? "#/contacts" : "#/signin";
else route();
