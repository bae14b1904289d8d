import type { LookupAddress } from 'node:dns';
import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { IMAGE_MIMES } from './image-mime';

/** One HTTP exchange: a redirect (with its target), another non-200 status, or a 200 body. */
export interface HopResult {
  status: number;
  location: string | null;
  body: Buffer | null;
}

export class BodyTooLargeError extends Error {}

/** A DNS lookup that always answers with the already-checked address, so the socket goes exactly there. */
function pinnedLookup(pinned: LookupAddress): LookupFunction {
  return (_hostname, options, callback) => {
    // Node asks for all addresses when it races IPv4 and IPv6 (autoSelectFamily).
    if (options.all) (callback as (err: null, addresses: LookupAddress[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
}

function readCapped(res: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(res.headers['content-length']) > maxBytes) {
      res.destroy();
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        res.destroy();
        reject(new BodyTooLargeError());
      } else chunks.push(chunk);
    });
    res.once('end', () => resolve(Buffer.concat(chunks)));
    res.once('error', reject);
    res.once('close', () => reject(new Error('connection closed before the body ended')));
  });
}

/**
 * GETs `url` over a connection to `pinned` (TLS still verifies the URL's host name). The DNS
 * answer that passed the address check is the one used: a second lookup could return another
 * address (DNS rebinding). Redirects are returned, never followed here.
 */
export function getPinned(url: URL, pinned: LookupAddress, maxBytes: number, signal: AbortSignal): Promise<HopResult> {
  return new Promise<HopResult>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'GET',
        agent: false,
        lookup: pinnedLookup(pinned),
        signal,
        headers: { accept: IMAGE_MIMES.join(', '), 'user-agent': 'codex-wrapper-image-fetch' },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          res.destroy();
          resolve({ status, location: res.headers.location ?? null, body: null });
          return;
        }
        readCapped(res, maxBytes).then((body) => resolve({ status, location: null, body }), reject);
      },
    );
    req.once('error', reject);
    req.end();
  });
}
