import type { LookupAddress } from 'node:dns';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenAIHttpException } from '../common/errors/openai-error';
import { AddressPolicy } from './address-policy';
import { ImageFetcher, ImageFetchOptions } from './image-fetcher';

const PNG = Buffer.from('89504e470d0a1a0a0000', 'hex');

describe('ImageFetcher', () => {
  let server: Server;
  let port = 0;
  const seen: { url: string; host: string }[] = [];
  const routes: Record<string, (res: ServerResponse, req: IncomingMessage) => void> = {
    '/cat.png': (res) => res.writeHead(200).end(PNG),
    '/moved': (res) => res.writeHead(301, { location: '/cat.png' }).end(),
    '/loop': (res) => res.writeHead(302, { location: '/loop' }).end(),
    '/elsewhere': (res) => res.writeHead(302, { location: `http://other.test:${port}/cat.png` }).end(),
    '/big': (res) => res.writeHead(200, { 'content-length': '5000' }).end(Buffer.alloc(5000)),
    '/big-chunked': (res) => {
      res.writeHead(200);
      for (let i = 0; i < 10; i++) res.write(Buffer.alloc(1000));
      res.end();
    },
    '/hang': () => undefined,
    '/gone': (res) => res.writeHead(404).end(),
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', host: req.headers.host ?? '' });
      const route = routes[req.url ?? ''];
      if (route) route(res, req);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => seen.splice(0));

  /** Host names resolve through `answers` (one answer list per lookup, the last one repeating). */
  function fetcher(
    answers: string[][],
    overrides: Partial<ImageFetchOptions> = {},
  ): { f: ImageFetcher; lookups: string[] } {
    const lookups: string[] = [];
    const lookup = (host: string): Promise<LookupAddress[]> => {
      const answer = answers[Math.min(lookups.length, answers.length - 1)] ?? [];
      lookups.push(host);
      return Promise.resolve(answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
    };
    const options = {
      timeoutMs: 2000,
      maxBytes: 4096,
      maxRedirects: 3,
      policy: new AddressPolicy(['127.0.0.1/32']),
      lookup,
      ...overrides,
    };
    return { f: new ImageFetcher(options), lookups };
  }

  async function failure(
    p: Promise<unknown>,
  ): Promise<{ code: string | null; param: string | null; message?: string }> {
    try {
      await p;
    } catch (e) {
      if (e instanceof OpenAIHttpException) return { code: e.code, param: e.param, message: e.message };
      throw e;
    }
    throw new Error('expected a failure');
  }

  const url = (path: string, host = 'img.test'): URL => new URL(`http://${host}:${port}${path}`);
  const never = new AbortController().signal;

  it('connects to the address it checked, keeping the host name for the request', async () => {
    const { f, lookups } = fetcher([['127.0.0.1']]);
    await expect(f.fetch(url('/cat.png'), 'p', never)).resolves.toEqual(PNG);
    expect(lookups).toEqual(['img.test']);
    expect(seen).toEqual([{ url: '/cat.png', host: `img.test:${port}` }]);
  });

  it('refuses a host when any of its addresses is forbidden, without connecting', async () => {
    const { f } = fetcher([['127.0.0.1', '10.0.0.1']]);
    expect(await failure(f.fetch(url('/cat.png'), 'messages[0].content[1].image_url', never))).toMatchObject({
      code: 'image_url_not_allowed',
      param: 'messages[0].content[1].image_url',
    });
    expect(seen).toEqual([]);
  });

  it('checks every redirect hop again, so a rebinding host cannot reach a private address', async () => {
    const { f, lookups } = fetcher([['127.0.0.1'], ['10.0.0.1']]);
    expect((await failure(f.fetch(url('/moved'), 'p', never))).code).toBe('image_url_not_allowed');
    expect(lookups).toEqual(['img.test', 'img.test']);
    expect(seen.map((s) => s.url)).toEqual(['/moved']);
  });

  it('follows same-host redirects and stops at the redirect limit', async () => {
    await expect(fetcher([['127.0.0.1']]).f.fetch(url('/moved'), 'p', never)).resolves.toEqual(PNG);
    expect((await failure(fetcher([['127.0.0.1']]).f.fetch(url('/loop'), 'p', never))).code).toBe('image_fetch_failed');
    expect(seen.filter((s) => s.url === '/loop')).toHaveLength(4);
  });

  it('refuses a redirect to another host before resolving it', async () => {
    const { f, lookups } = fetcher([['127.0.0.1']]);
    expect((await failure(f.fetch(url('/elsewhere'), 'p', never))).code).toBe('image_redirect_refused');
    expect(lookups).toEqual(['img.test']);
  });

  it.each(['/big', '/big-chunked'])('caps the body size (%s)', async (path) => {
    expect((await failure(fetcher([['127.0.0.1']]).f.fetch(url(path), 'p', never))).code).toBe('image_too_large');
  });

  it('gives up after the timeout', async () => {
    const started = Date.now();
    expect(await failure(fetcher([['127.0.0.1']], { timeoutMs: 300 }).f.fetch(url('/hang'), 'p', never))).toMatchObject(
      {
        code: 'image_fetch_failed',
        message: expect.stringContaining('within 0.3 s') as unknown,
      },
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops when the client goes away', async () => {
    const client = new AbortController();
    const pending = failure(fetcher([['127.0.0.1']]).f.fetch(url('/hang'), 'p', client.signal));
    setTimeout(() => client.abort(), 50);
    expect((await pending).code).toBe('image_fetch_failed');
  });

  it('reports non-200 answers and unresolvable hosts', async () => {
    expect((await failure(fetcher([['127.0.0.1']]).f.fetch(url('/gone'), 'p', never))).code).toBe('image_fetch_failed');
    const broken = new ImageFetcher({
      timeoutMs: 500,
      maxBytes: 10,
      maxRedirects: 0,
      policy: new AddressPolicy(),
      lookup: () => Promise.reject(new Error('ENOTFOUND')),
    });
    expect((await failure(broken.fetch(url('/cat.png'), 'p', never))).code).toBe('image_fetch_failed');
  });

  it('checks IP literals without any lookup', async () => {
    const { f, lookups } = fetcher([['127.0.0.1']]);
    expect((await failure(f.fetch(new URL(`http://[::1]:${port}/cat.png`), 'p', never))).code).toBe(
      'image_url_not_allowed',
    );
    await expect(f.fetch(url('/cat.png', '127.0.0.1'), 'p', never)).resolves.toEqual(PNG);
    expect(lookups).toEqual([]);
  });
});
