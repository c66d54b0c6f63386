// The JSON API, as the page calls it: POST with a JSON body, errors as `ApiError`.
// The token travels in the body only (never a URL, never a cookie), as every
// documented endpoint takes it.

import { session } from "./session.js";

/** The message the API gives for a token no live principal holds (docs/api.md). */
export const TOKEN_REFUSED = "Authenticated user record not found";

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.msg) || `the server answered ${status}`);
    this.status = status;
    this.body = body || {};
  }

  /** Which of `names` (API field names) the message names first, or null. */
  fieldIn(names) {
    let best = null;
    let at = Infinity;
    for (const name of names) {
      const found = new RegExp(`(^|[^a-z_])${name}([^a-z_]|$)`).exec(this.message);
      if (found && found.index < at) {
        best = name;
        at = found.index;
      }
    }
    return best;
  }
}

async function send(path, body, signal) {
  let response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      signal,
      credentials: "omit",
      cache: "no-store",
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, { msg: "the server could not be reached; check the connection" });
  }
  return response;
}

async function decoded(response) {
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : null;
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/** A call that takes no token (logins, admin calls with appid and secret). */
export async function call(path, body, { signal } = {}) {
  return decoded(await send(path, body, signal));
}

/** A call as the signed-in principal. A refused token ends the session: the page goes
 *  back to sign-in and says why. */
export async function authed(path, body = {}, { signal, raw = false } = {}) {
  const token = session.token();
  if (!token) {
    session.end("Please sign in.");
    throw new ApiError(401, { msg: "Please sign in." });
  }
  const response = await send(path, { token, ...body }, signal);
  if (!response.ok) {
    const type = response.headers.get("content-type") || "";
    const failed = type.includes("json") ? await response.json() : null;
    const error = new ApiError(response.status, failed);
    if (error.message === TOKEN_REFUSED) {
      session.end("Your session has expired. Please sign in again.");
    }
    throw error;
  }
  return raw ? response : decoded(response);
}
