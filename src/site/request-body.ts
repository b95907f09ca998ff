/**
 * Astro parses a JSON request body itself (for `/_actions/*` and `?_action=`) and lets a
 * SyntaxError out as a 500. A body that says it is JSON and is not is the client's mistake:
 * the middleware asks this first and answers 400.
 */

/** Whether the request says its body is JSON (`application/json`, or `…+json`). */
function saysJson(request: Request): boolean {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

/** True when a POST claims a JSON body that does not parse (an empty one included). */
export async function hasBrokenJsonBody(request: Request): Promise<boolean> {
  if (request.method !== 'POST' || !saysJson(request)) return false;
  try {
    JSON.parse(await request.clone().text());
    return false;
  } catch {
    return true;
  }
}
