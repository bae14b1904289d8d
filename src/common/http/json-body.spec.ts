import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeJson } from './json-body';

function fetchRaw(server: Server): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    get(`http://127.0.0.1:${port}/`, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('writeJson', () => {
  it('answers the JSON with its length in bytes, not characters, so multi-byte text arrives whole', async () => {
    const body = { text: 'héllo 👋 日本語', n: [1, 2] };
    const server = createServer((_req, res) => writeJson(res, body));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { headers, body: raw } = await fetchRaw(server);
      expect(headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(headers['content-length'])).toBe(raw.length);
      expect(raw.length).toBeGreaterThan(JSON.stringify(body).length);
      expect(JSON.parse(raw.toString('utf8'))).toEqual(body);
      expect(headers.etag).toBeUndefined();
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
