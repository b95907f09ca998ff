/**
 * The Tweede Kamer client against a local HTTP server that serves saved responses
 * (tests/fixtures/tk/): the request it makes, and each way the answer can fail.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchZaak, zaakQueryUrl } from '../../../src/domain/parliament/tk-client.ts';
import { ZaakError } from '../../../src/domain/parliament/zaak.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/tk');

/** What the server answers for a zaak number, and what it was asked. */
type Answer = { status: number; body: string } | 'hang';
const answers = new Map<string, Answer>();
const requests: URL[] = [];
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url);
    const number = /Nummer eq '([^']*)'/.exec(url.searchParams.get('$filter') ?? '')?.[1] ?? '';
    const answer = answers.get(number) ?? { status: 404, body: JSON.stringify({ error: { code: '', message: 'No route' } }) };
    if (answer === 'hang') return; // never answers: the client's timeout must end it
    res.writeHead(answer.status, { 'content-type': 'application/json; odata.metadata=minimal' });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/OData/v4/2.0/`;
  answers.set('2031Z01234', { status: 200, body: readFileSync(path.join(FIXTURES, 'motion.json'), 'utf8') });
  answers.set('2031Z01236', { status: 200, body: readFileSync(path.join(FIXTURES, 'duplicate-votes.json'), 'utf8') });
  answers.set('2031Z01241', { status: 200, body: readFileSync(path.join(FIXTURES, 'broken-soort.json'), 'utf8') });
  answers.set('2031Z00500', { status: 500, body: JSON.stringify({ error: { code: '', message: 'Could not find a property named Agendapunt' } }) });
  answers.set('2031Z00400', { status: 200, body: readFileSync(path.join(FIXTURES, 'truncated.txt'), 'utf8') });
  answers.set('2031Z00404', { status: 200, body: JSON.stringify({ '@odata.context': 'x', value: [] }) });
  answers.set('2031Z00408', 'hang');
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function refusal(promise: Promise<unknown>): Promise<ZaakError> {
  const error = await promise.then(
    () => new Error('fetched without an error'),
    (e: unknown) => e,
  );
  if (error instanceof ZaakError) return error;
  throw error;
}

describe('fetchZaak', () => {
  it('asks for the live zaak with its live decisions, their live votes and the sitting’s day', async () => {
    requests.length = 0;
    const item = await fetchZaak('2031Z01234', { baseUrl, timeoutMs: 5000 });
    expect(item.votes).toHaveLength(4);
    const [url] = requests;
    expect(url!.pathname).toBe('/OData/v4/2.0/Zaak');
    expect(url!.searchParams.get('$filter')).toBe("Verwijderd eq false and Nummer eq '2031Z01234'");
    expect(url!.searchParams.get('$expand')).toBe(
      'Besluit($filter=Verwijderd eq false;$expand=Stemming($filter=Verwijderd eq false),Agendapunt($expand=Activiteit($select=Datum)))',
    );
  });

  it('sends spaces as %20 and builds the public address by default', () => {
    const url = zaakQueryUrl('2025Z19039');
    expect(
      url.startsWith("https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/Zaak?$filter=Verwijderd%20eq%20false%20and%20Nummer%20eq%20'2025Z19039'&$expand="),
    ).toBe(true);
    expect(url).not.toContain('+');
  });

  it('applies the parser’s rules to what the server sent', async () => {
    const item = await fetchZaak('2031Z01236', { baseUrl, timeoutMs: 5000 });
    expect(item.votes.map((v) => [v.fraction, v.vote])).toEqual([
      ['Kustpartij', 'for'],
      ['Groen-Dorp', 'against'],
      ['VB', 'against'],
    ]);
  });

  it('refuses a number in another format before asking anything', async () => {
    requests.length = 0;
    for (const number of ["2031Z01234' or true or Nummer eq '", '31Z01234', '2031Z1234', '']) {
      expect(await refusal(fetchZaak(number, { baseUrl }))).toMatchObject({ code: 'bad-number' });
    }
    expect(requests).toEqual([]);
  });

  it('reports a status other than 200 with the API’s own message', async () => {
    const error = await refusal(fetchZaak('2031Z00500', { baseUrl, timeoutMs: 5000 }));
    expect(error.code).toBe('http');
    expect(error.message).toContain('500');
    expect(error.message).toContain('Could not find a property named Agendapunt');
    expect(await refusal(fetchZaak('2031Z09999', { baseUrl, timeoutMs: 5000 }))).toMatchObject({ code: 'http', message: expect.stringContaining('404') });
  });

  it('reports an answer that is not JSON', async () => {
    expect(await refusal(fetchZaak('2031Z00400', { baseUrl, timeoutMs: 5000 }))).toMatchObject({ code: 'bad-json' });
  });

  it('reports a number the API does not know, and a response that does not fit, naming the field', async () => {
    expect(await refusal(fetchZaak('2031Z00404', { baseUrl, timeoutMs: 5000 }))).toMatchObject({ code: 'not-found' });
    expect(await refusal(fetchZaak('2031Z01241', { baseUrl, timeoutMs: 5000 }))).toMatchObject({
      code: 'invalid',
      path: 'value[0].Besluit[1].Stemming[3].Soort',
    });
  });

  it('gives up after its timeout when the server does not answer', async () => {
    const started = Date.now();
    expect(await refusal(fetchZaak('2031Z00408', { baseUrl, timeoutMs: 300 }))).toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports a server it cannot reach', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await refusal(fetchZaak('2031Z01234', { baseUrl: `http://127.0.0.1:${port}/`, timeoutMs: 5000 }))).toMatchObject({ code: 'network' });
  });
});
