import { isIP } from 'node:net';

const LOCAL_SCHEMES = new Set(['unix:', 'http+unix:', 'https+unix:']);

/** Loopback only: `localhost`, 127.0.0.0/8, ::1, and unix sockets. `0.0.0.0` and LAN addresses are not local. */
export function isLocalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (LOCAL_SCHEMES.has(url.protocol)) return true;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./.test(host);
  return false;
}
