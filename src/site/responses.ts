/** JSON responses of the public API, and its error shape ({ error: message }). */
export function jsonResponse(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {
    ...init,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'access-control-allow-origin': '*',
      ...init.headers,
    },
  });
}

export function problemResponse(status: number, message: string): Response {
  return jsonResponse({ error: message }, { status });
}
