import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A valid 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
export const PNG_DATA_URL = `data:image/png;base64,${PNG.toString('base64')}`;

export const dataUrl = (mime: string, bytes: Buffer): string => `data:${mime};base64,${bytes.toString('base64')}`;

/** A chat message with text and images, OpenAI style. */
export function imageMessage(text: string, ...urls: string[]): { role: 'user'; content: unknown[] } {
  return {
    role: 'user',
    content: [{ type: 'text', text }, ...urls.map((url) => ({ type: 'image_url', image_url: { url } }))],
  };
}

type Route = (req: IncomingMessage, res: ServerResponse, base: string) => void;

/** A tiny HTTP server on 127.0.0.1 serving images, redirects and misbehaviour for the fetch tests. */
export class ImageServer {
  private server: Server | null = null;
  readonly hits: string[] = [];
  port = 0;

  constructor(private readonly routes: Record<string, Route>) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.hits.push(req.url ?? '');
      const route = this.routes[req.url ?? ''];
      if (route) route(req, res, this.base);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
