/**
 * A cookie-keeping HTTP client that sends forms the way a browser without JavaScript does:
 * POST to `<page>?_action=<name>`, urlencoded, with this site's Origin header (or a forged one).
 * It can also send the other encodings a form may use, and call an action at Astro's own
 * endpoint (`/_actions/<name>`), so tests can show that no way in skips a check. A field may be a
 * file (a Blob, sent with its name in multipart; in the other encodings, its text).
 */
export type FormEncoding = 'urlencoded' | 'multipart' | 'text';

export type FormFields = Record<string, string | Blob>;

async function encode(given: FormFields, encoding: FormEncoding): Promise<{ body: string | FormData; headers: Record<string, string> }> {
  if (encoding === 'multipart') {
    const form = new FormData();
    for (const [name, value] of Object.entries(given)) {
      if (typeof value === 'string') form.append(name, value);
      else form.append(name, value, value instanceof File ? value.name : 'bestand');
    }
    return { body: form, headers: {} }; // fetch writes the multipart content type with its boundary
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) fields[name] = typeof value === 'string' ? value : await value.text();
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
    fields: FormFields,
    { origin = new URL(this.base).origin, encoding = 'urlencoded' }: { origin?: string | null; encoding?: FormEncoding } = {},
  ): Promise<Response> {
    const url = new URL(page, this.base);
    url.searchParams.set('_action', action);
    return this.post(url, fields, origin, encoding);
  }

  /** Calls an action at Astro's endpoint for scripts, `/_actions/<name>`, with form fields. */
  async callAction(action: string, fields: FormFields, { origin = new URL(this.base).origin }: { origin?: string | null } = {}): Promise<Response> {
    return this.post(new URL(`/_actions/${action}`, this.base), fields, origin, 'multipart');
  }

  private async post(url: URL, fields: FormFields, origin: string | null, encoding: FormEncoding): Promise<Response> {
    const { body, headers } = await encode(fields, encoding);
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
