/**
 * Where to send someone back to after signing in (`?terug=` / `?back=`): only a path of this
 * site. Browsers read much more than they show: they drop TAB, CR and LF from an address (so
 * "/\t/evil.example" becomes "//evil.example", another site), treat "\" as "/", and a
 * Location header with CR, LF, NUL or a character beyond Latin-1 cannot even be sent (the
 * sign-in then fails after its session was made, and the cookie is lost). So: printable
 * ASCII, one leading slash, no backslash; anything else means "the default page".
 */

const MAX_LENGTH = 2000;
/** One slash, then printable ASCII without space or backslash, never a second slash first. */
const SITE_PATH = /^\/(?![/\\])[\x21-\x5B\x5D-\x7E]*$/;

/** The path to go back to, or null when there is none that is safe: use the default then. */
export function safeReturnPath(value: string | null | undefined): string | null {
  if (!value || value.length > MAX_LENGTH) return null;
  return SITE_PATH.test(value) ? value : null;
}
