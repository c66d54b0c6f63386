// Who is signed in. The token lives in sessionStorage: it is gone when the tab closes,
// is never put in a URL, and is not sent anywhere but in an API call's body.

const TOKEN = "contactd.token";
const WHO = "contactd.who";
const listeners = new Set();
let farewell = "";

export const session = {
  token() {
    return sessionStorage.getItem(TOKEN);
  },
  who() {
    return sessionStorage.getItem(WHO) || "";
  },
  begin(token, who) {
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.setItem(WHO, who);
    farewell = "";
    for (const listener of listeners) listener();
  },
  /** Forget the token and go to sign-in, showing `message` there. */
  end(message = "") {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(WHO);
    farewell = message;
    for (const listener of listeners) listener();
    if (location.hash !== "#/signin") location.hash = "#/signin";
  },
  /** The message sign-in shows once: why the last session ended. */
  takeFarewell() {
    const message = farewell;
    farewell = "";
    return message;
  },
  onChange(listener) {
    listeners.add(listener);
  },
};
