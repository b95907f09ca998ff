/**
 * The shipped nginx configuration balancing two instances on this machine: HTTPS only (plain
 * HTTP redirects, HSTS on every answer), both instances serve, forms pass the origin check
 * through the proxy, and when one instance stops the other carries on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../helpers/engines.ts';
import { freeNginxPorts, NGINX, startNginx, type RunningNginx } from '../helpers/nginx.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const reason = 'nginx is not installed (apt-get install nginx)';
if (!NGINX && process.env.CI !== 'true') console.warn(`Skipping the nginx test: ${reason}.`);

describe.runIf(NGINX || process.env.CI === 'true')('nginx in front of two instances', () => {
  let instances: RunningServer[] = [];
  let nginx: RunningNginx;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (!NGINX) throw new Error(`${reason}. CI=true: this test must run.`);
    // On Postgres both instances share the data; otherwise each shows its own demo board.
    const shared = process.env.DATABASE_URL ? await createPostgresDatabase() : null;
    drop = shared?.drop;
    const ports = await freeNginxPorts();
    const env = (name: string) => ({
      INSTANCE_NAME: name,
      PUBLIC_URL: `https://127.0.0.1:${ports.https}`,
      ...(shared ? { DATABASE_URL: shared.url } : { DEMO: '1' }),
    });
    instances = await Promise.all([startServer(env('een')), startServer(env('twee'))]);
    nginx = await startNginx(
      instances.map((s) => Number(new URL(s.url).port)),
      ports,
    );
  });
  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(instances.map((s) => s.stop()));
    await drop?.();
  });

  it('spreads requests over both instances', async () => {
    const servedBy = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const response = await nginx.request('/');
      expect(response.status).toBe(200);
      servedBy.add(String(response.headers['x-served-by']));
    }
    expect([...servedBy].sort()).toEqual(['een', 'twee']);
  });

  it('sends plain HTTP on to the same address over HTTPS', async () => {
    const response = await fetch(new URL('/partijen?sorteer=naam', nginx.httpUrl), { redirect: 'manual' });
    expect(response.status).toBe(301);
    // To port 443: in the test nginx listens elsewhere, in production there.
    expect(response.headers.get('location')).toBe('https://127.0.0.1/partijen?sorteer=naam');
  });

  it('tells browsers to come back on HTTPS only, once, on every answer', async () => {
    for (const path of ['/', '/api/v1/scoreboard.json', '/bestaat-niet', '/nginx-health']) {
      const response = await nginx.request(path);
      expect(response.headers['strict-transport-security'], path).toBe('max-age=63072000; includeSubDomains');
    }
  });

  it('lets a form through (the origin check sees the address the browser used)', async () => {
    const response = await nginx.request('/inloggen?_action=signIn', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: nginx.url },
      body: 'email=niemand%40nergens.example&password=fout',
    });
    expect(response.status).toBe(401); // refused as a wrong password, not as a forged origin
  });

  it('keeps serving when one instance stops', async () => {
    await instances[1]!.stop();
    for (let i = 0; i < 6; i++) {
      const response = await nginx.request('/');
      expect(response.status).toBe(200);
      expect(response.headers['x-served-by']).toBe('een');
    }
  });
});
