import { ValidateBy, ValidationOptions } from 'class-validator';
import { isIP } from 'node:net';
import { toBool } from './env-parsing';

/**
 * `TRUST_PROXY`: off, a number of proxy hops, or the proxies' addresses. Express' own `true`
 * ("trust every hop") is never produced: it would let any client pick its address by sending
 * `X-Forwarded-For`, so `true` here means one hop.
 */
export type TrustProxy = false | number | string[];

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyToken(token: string): boolean {
  if (NAMED.has(token)) return true;
  const [address, prefix, extra] = token.split('/');
  if (extra !== undefined || !address || isIP(address) === 0) return false;
  if (prefix === undefined) return true;
  const max = isIP(address) === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= max;
}

/** `0/false/off` → false; `1/true/on` → 1 hop; `N` → N hops; `a, b/24, loopback` → those proxies. */
export function toTrustProxy({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  if (/^\d+$/.test(value.trim()) && Number(value.trim()) > 1) return Number(value.trim());
  const flag = toBool({ value });
  if (flag === true) return 1;
  if (flag === false) return false;
  const tokens = value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  return tokens.length > 0 && tokens.every(isProxyToken) ? tokens : value;
}

export function IsTrustProxy(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTrustProxy',
      validator: {
        validate: (v: unknown) =>
          v === false || (typeof v === 'number' && Number.isInteger(v) && v >= 1) || Array.isArray(v),
        defaultMessage: () =>
          'must be off, on, a hop count, or a comma-separated list of proxy addresses/CIDRs (loopback, linklocal, uniquelocal allowed)',
      },
    },
    options,
  );
}
