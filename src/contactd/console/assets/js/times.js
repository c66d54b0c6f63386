// Times as agents read them: in the browser's own time zone.

const shown = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** Epoch ms as local date and time; "" for none. */
export function localTime(ms) {
  return ms === null || ms === undefined || ms === 0 ? "" : shown.format(new Date(ms));
}

/** Epoch ms as a `datetime-local` input's value (local time, minutes). */
export function toInput(ms) {
  if (!ms) return "";
  const at = new Date(ms);
  const pad = (n) => String(n).padStart(2, "0");
  return (
    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}` +
    `T${pad(at.getHours())}:${pad(at.getMinutes())}`
  );
}

/** A `datetime-local` value (local time) as epoch ms; null for an empty input. */
export function fromInput(value) {
  return value ? new Date(value).getTime() : null;
}

/** The bounds of today in local time, as epoch ms: [start, end). */
export function today(now = new Date()) {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  return [start.getTime(), end.getTime()];
}
