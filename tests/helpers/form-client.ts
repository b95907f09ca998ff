/**
 * A cookie-keeping HTTP client that sends forms the way a browser without JavaScript does:
 * POST to `<page>?_action=<name>`, urlencoded, with this site's Origin header (or a forged one).
 * It can also send the other encodings a form may use, and call an action at Astro's own
 * endpoint (`/_actions/<name>`), so tests can show that no way in skips a check.
 */
export type FormEncoding = 'urlencoded' | 'multipart' | 'text';

function encode(fields: Record<string, string>, encoding: FormEncoding): { body: string | FormData; headers: Record<string, string> } {
  if (encoding === 'multipart') {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return { body: form, headers: {} }; // fetch writes the multipart content type with its boundary
  }
  if (encoding === 'text') {
    return {
      body: Object.entries(fields)
        .map(([k, v]) => `${k}=${v}`)
        .join('\r\n'),
      headers: { 'content-type': 'text/plain' },
    };
  }
  return { body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}

export class FormClient {
  readonly cookies = new Map<string, string>();
  readonly base: string;

  constructor(base: string) {
    this.base = base;
  }

  private cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      const expired = attributes.some((a) => /^\s*max-age=0/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
  }

  async get(path: string): Promise<Response> {
    const response = await fetch(new URL(path, this.base), { headers: this.cookieHeader(), redirect: 'manual' });
    this.remember(response);
    return response;
  }

  async submit(
    page: string,
    action: string,
    fields: Record<string, string>,
    { origin = new URL(this.base).origin, encoding = 'urlencoded' }: { origin?: string | null; encoding?: FormEncoding } = {},
  ): Promise<Response> {
    const url = new URL(page, this.base);
    url.searchParams.set('_action', action);
    return this.post(url, fields, origin, encoding);
  }

  /** Calls an action at Astro's endpoint for scripts, `/_actions/<name>`, with form fields. */
  async callAction(action: string, fields: Record<string, string>, { origin = new URL(this.base).origin }: { origin?: string | null } = {}): Promise<Response> {
    return this.post(new URL(`/_actions/${action}`, this.base), fields, origin, 'multipart');
  }

  private async post(url: URL, fields: Record<string, string>, origin: string | null, encoding: FormEncoding): Promise<Response> {
    const { body, headers } = encode(fields, encoding);
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...this.cookieHeader(), ...headers, ...(origin === null ? {} : { origin }) },
      body,
      redirect: 'manual',
    });
    this.remember(response);
    return response;
  }
}
