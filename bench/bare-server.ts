/**
 * The yardstick: a bare node:http server that answers every request with the same bytes
 * from memory, headers included (and the same 304 to a matching If-None-Match), nothing else.
 * The benchmark starts it beside Pledgeboard and measures both with the same load generator.
 *
 *   node bench/bare-server.ts <file with { headers, notModifiedHeaders, body(base64) }> <port>
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [file, port] = process.argv.slice(2);
const { headers, notModifiedHeaders, body } = JSON.parse(readFileSync(file!, 'utf8')) as {
  headers: Record<string, string>;
  notModifiedHeaders: Record<string, string>;
  body: string;
};
const bytes = Buffer.from(body, 'base64');
const etag = headers.etag;

const server = http.createServer((req, res) => {
  if (etag && req.headers['if-none-match'] === etag) {
    res.writeHead(304, notModifiedHeaders);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': bytes.length });
  res.end(bytes);
});
server.keepAliveTimeout = 5000;
server.listen(Number(port), '127.0.0.1', () => console.log(`bare server listening on ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
