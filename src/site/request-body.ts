/**
 * Astro parses the JSON body of an action request itself (`/_actions/*`, `?_action=`) and lets
 * a SyntaxError out as a 500. A body that says it is JSON and is not is the client's mistake:
 * the middleware asks this first and answers 400. Only action requests are read (no other
 * route reads a body as JSON), and at most Astro's own limit for them: a larger body is left
 * to Astro, which refuses it.
 */

/** Astro's default limit for an action's body (`actionBodySizeLimit`). */
const MAX_JSON_BYTES = 1024 * 1024;

/** Astro's ceiling is raised for the candidate upload (astro.config.mjs); every other action keeps this one. */
const MAX_ACTION_BYTES = MAX_JSON_BYTES;
/** The upload's file plus the multipart form around it. */
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024 + 64 * 1024;
const UPLOAD_ACTIONS = new Set(['importCandidateFile', 'importZaak']);

/** The action a request calls (`/_actions/<name>` or `?_action=<name>`), or null. */
function actionName(url: URL): string | null {
  if (url.pathname.startsWith('/_actions/')) return url.pathname.slice('/_actions/'.length).replace(/\/$/, '');
  return url.searchParams.get('_action');
}

/**
 * True when an action request says (content-length) that its body is larger than that action
 * takes, or does not say how large it is: answered 413 before anything reads it. Astro's own
 * ceiling is raised for the upload (astro.config.mjs), so a body of unknown length (chunked;
 * a browser's form always says its length) could otherwise make any action read up to it.
 */
export function actionBodyTooLarge(request: Request, url: URL): boolean {
  if (request.method !== 'POST') return false;
  const name = actionName(url);
  if (name === null) return false;
  const length = request.headers.get('content-length');
  if (length === null || !/^\d+$/.test(length)) return true;
  return Number(length) > (UPLOAD_ACTIONS.has(name) ? MAX_UPLOAD_BYTES : MAX_ACTION_BYTES);
}

/** Whether a request calls an action that takes a large upload (only an admin may send one). */
export function isUploadAction(request: Request, url: URL): boolean {
  if (request.method !== 'POST') return false;
  const name = actionName(url);
  return name !== null && UPLOAD_ACTIONS.has(name);
}

/** Whether the request says its body is JSON (`application/json`, or `…+json`). */
function saysJson(request: Request): boolean {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

function isActionRequest(url: URL): boolean {
  return url.pathname.startsWith('/_actions/') || url.searchParams.has('_action');
}

/** The body as text, or null when it is larger than the limit (then nothing more is read). */
async function boundedText(request: Request): Promise<string | null> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_JSON_BYTES || !request.body) return declared > MAX_JSON_BYTES ? null : '';
  const reader = request.clone().body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_JSON_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** True when an action request claims a JSON body that does not parse (an empty one included). */
export async function hasBrokenJsonBody(request: Request, url: URL): Promise<boolean> {
  if (request.method !== 'POST' || !saysJson(request) || !isActionRequest(url)) return false;
  const text = await boundedText(request);
  if (text === null) return false;
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}
