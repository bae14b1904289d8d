import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { invalidRequest, OpenAIHttpException } from '../common/errors/openai-error';
import { AddressPolicy } from './address-policy';
import { redirectTarget } from './image-redirect';
import { BodyTooLargeError, getPinned } from './pinned-get';

/** Every address a host name resolves to (getaddrinfo runs on libuv's pool, off the event loop). */
export type LookupAll = (hostname: string) => Promise<LookupAddress[]>;

export const systemLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface ImageFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  policy: AddressPolicy;
  lookup: LookupAll;
}

const failed = (param: string, why: string): OpenAIHttpException =>
  invalidRequest(`The image at '${param}' could not be downloaded: ${why}.`, param, 'image_fetch_failed');

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Server-side download of http(s) image URLs with the SSRF defences; used only when IMAGE_FETCH_ENABLED is on. */
export class ImageFetcher {
  constructor(private readonly options: ImageFetchOptions) {}

  async fetch(origin: URL, param: string, signal: AbortSignal): Promise<Buffer> {
    const { timeoutMs, maxBytes, maxRedirects } = this.options;
    const timeout = AbortSignal.timeout(timeoutMs);
    const deadline = AbortSignal.any([signal, timeout]);
    let url = origin;
    for (let hop = 0; ; hop++) {
      const pinned = await this.pin(url, param, deadline);
      const result = await getPinned(url, pinned, maxBytes, deadline).catch((err: unknown) => {
        if (err instanceof BodyTooLargeError)
          throw invalidRequest(
            `The image at '${param}' is larger than ${maxBytes} bytes (IMAGE_MAX_BYTES).`,
            param,
            'image_too_large',
          );
        throw failed(
          param,
          timeout.aborted ? `no complete answer within ${timeoutMs / 1000} s` : 'the connection failed',
        );
      });
      if (result.status >= 300 && result.status < 400 && result.location !== null) {
        if (hop >= maxRedirects) throw failed(param, 'too many redirects');
        url = redirectTarget(origin, url, result.location, param);
        continue;
      }
      if (result.status !== 200 || result.body === null)
        throw failed(param, `the server answered HTTP ${result.status}`);
      return result.body;
    }
  }

  /** Resolves the host and checks every address it has; one forbidden address refuses the host. */
  private async pin(url: URL, param: string, signal: AbortSignal): Promise<LookupAddress> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const literal = isIP(host);
    const addresses =
      literal !== 0
        ? [{ address: host, family: literal }]
        : await abortable(this.options.lookup(host), signal).catch(() => {
            throw failed(param, 'its host name could not be resolved');
          });
    const first = addresses[0];
    if (!first || !addresses.every((a) => this.options.policy.allows(a.address))) {
      throw invalidRequest(
        `The image URL at '${param}' points to an address this server does not fetch from.`,
        param,
        'image_url_not_allowed',
      );
    }
    return first;
  }
}
