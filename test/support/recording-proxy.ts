import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a client sent through the proxy, its JSON body parsed. */
export interface ProxiedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface RecordingProxy {
  /** `http://127.0.0.1:PORT`, forwarding to the target. */
  url: string;
  requests: ProxiedRequest[];
  close(): void;
}

/**
 * A loopback HTTP proxy that records each request body and streams the answer back untouched
 * (SSE included), so a test can see what a real client sent to the gateway.
 */
export async function startRecordingProxy(target: string, requests: ProxiedRequest[] = []): Promise<RecordingProxy> {
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let body: unknown = raw.toString('utf8');
      try {
        body = JSON.parse(String(body));
      } catch {
        // Not JSON: kept as text.
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', body });
      const upstream = request(
        {
          host: to.hostname,
          port: to.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: to.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      res.on('close', () => upstream.destroy());
      upstream.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
