/**
 * A cookie-keeping HTTP client that sends forms the way a browser without JavaScript does:
 * POST to `<page>?_action=<name>`, urlencoded, with this site's Origin header (or a forged one).
 */
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
    { origin = new URL(this.base).origin }: { origin?: string | null } = {},
  ): Promise<Response> {
    const url = new URL(page, this.base);
    url.searchParams.set('_action', action);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        ...this.cookieHeader(),
        'content-type': 'application/x-www-form-urlencoded',
        ...(origin === null ? {} : { origin }),
      },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    this.remember(response);
    return response;
  }
}
