/** Where and how to reach Redis, as parsed from REDIS_URL (no policy such as retries: that is the client's). */
export interface RedisTarget {
  host?: string;
  port?: number;
  path?: string;
  username?: string;
  password?: string;
  db: number;
  tls: boolean;
}

function dbOf(raw: string | null | undefined): number {
  if (raw === null || raw === undefined || raw === '') return 0;
  if (!/^\d{1,2}$/.test(raw)) throw new Error(`REDIS_URL: database '${raw}' is not a number from 0 to 99.`);
  return Number(raw);
}

const decode = (s: string): string | undefined => (s ? decodeURIComponent(s) : undefined);

/**
 * `redis://[user:password@]host[:port][/db]`, `rediss://…` (TLS), `unix:///path/to/redis.sock[?db=N&password=…]`
 * or `unix://[user:password@]localhost/path/to/redis.sock`. The error never repeats the URL: it may hold a password.
 */
export function parseRedisUrl(raw: string): RedisTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(
      'REDIS_URL: not a URL; expected redis://host:port, rediss://host:port or unix:///path/to/redis.sock.',
    );
  }
  const username = decode(url.username) ?? url.searchParams.get('username') ?? undefined;
  const password = decode(url.password) ?? url.searchParams.get('password') ?? undefined;
  if (url.protocol === 'unix:') {
    if (!url.pathname || url.pathname === '/')
      throw new Error('REDIS_URL: a unix:// URL needs a socket path, e.g. unix:///run/redis/redis.sock.');
    return {
      path: decodeURIComponent(url.pathname),
      username,
      password,
      db: dbOf(url.searchParams.get('db')),
      tls: false,
    };
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new Error(`REDIS_URL: scheme '${url.protocol}' is not redis:, rediss: or unix:.`);
  if (!url.hostname) throw new Error('REDIS_URL: no host.');
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 6379,
    username,
    password,
    db: dbOf(url.pathname.replace(/^\//, '') || url.searchParams.get('db')),
    tls: url.protocol === 'rediss:',
  };
}
