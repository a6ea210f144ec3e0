/** `scheme://` of a URL: where its authority, and so any user-info, begins. */
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Each `scheme://user-info@` in free text, user-info running to the authority's last `@`. */
const USER_INFO_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s@]*@/gi;

/**
 * `url` without its user-info (`postgres://user:pass@host/db` → `postgres://host/db`), for
 * error messages and log lines: configuration URLs may carry credentials, which no message
 * may show (security.md). A URL without user-info is returned as it is.
 */
export function redactUrl(url: string): string {
  const scheme = SCHEME.exec(url);
  if (!scheme) return url;
  const authorityStart = scheme[0].length;
  let at = -1;
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    // The parser took the authority's last '@' (before the first '/', '?' or '#') as the user-info's end.
    const authorityEnd = url.slice(authorityStart).search(/[/?#]|$/) + authorityStart;
    at = url.lastIndexOf("@", authorityEnd);
  } catch {
    // Unparseable, e.g. a '/' or '#' typed unencoded in a password: cut at the last '@' anywhere,
    // hiding perhaps too much of the URL but never a piece of the password.
    at = url.lastIndexOf("@");
  }
  return at < authorityStart ? url : url.slice(0, authorityStart) + url.slice(at + 1);
}

/**
 * `text` (a driver's or SDK's error message) with `url` shown redacted, its password removed
 * wherever it appears (raw or percent-decoded), and the user-info of any other URL in it
 * dropped too.
 */
export function redactUrlIn(text: string, url: string): string {
  let redacted = text.split(url).join(redactUrl(url));
  for (const password of passwordsOf(url)) redacted = redacted.split(password).join("***");
  return redacted.replace(USER_INFO_IN_TEXT, "$1");
}

/** The password of `url`'s user-info as written and decoded; none shorter than 3 characters (too likely to appear by chance). */
function passwordsOf(url: string): string[] {
  const scheme = SCHEME.exec(url);
  const at = url.lastIndexOf("@");
  if (!scheme || at < scheme[0].length) return [];
  const userInfo = url.slice(scheme[0].length, at);
  const colon = userInfo.indexOf(":");
  if (colon < 0) return [];
  const raw = userInfo.slice(colon + 1);
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // Not percent-encoded consistently: the raw form is the one to hide.
  }
  return [...new Set([raw, decoded])].filter((password) => password.length >= 3);
}
