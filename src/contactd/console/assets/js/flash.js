// A message for the next view to show at its top (after an action that leaves the page).

let pending = "";

export function flashNext(message) {
  pending = message;
}

export function takeFlash() {
  const message = pending;
  pending = "";
  return message;
}
