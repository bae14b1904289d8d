import { parseRedisUrl } from './redis-url';

describe('parseRedisUrl', () => {
  it('reads host, port, credentials and database from redis://', () => {
    expect(parseRedisUrl('redis://user:p%40ss@cache.internal:6380/2')).toEqual({
      host: 'cache.internal',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 2,
      tls: false,
    });
    expect(parseRedisUrl('redis://:secret@redis')).toEqual({
      host: 'redis',
      port: 6379,
      username: undefined,
      password: 'secret',
      db: 0,
      tls: false,
    });
  });

  it('turns on TLS for rediss://', () => {
    expect(parseRedisUrl('rediss://default:pw@redis.example.com')).toMatchObject({
      host: 'redis.example.com',
      port: 6379,
      password: 'pw',
      tls: true,
    });
  });

  it('reads a unix socket path, with the database and password as query or credentials', () => {
    expect(parseRedisUrl('unix:///run/redis/redis.sock?db=3&password=pw')).toEqual({
      path: '/run/redis/redis.sock',
      username: undefined,
      password: 'pw',
      db: 3,
      tls: false,
    });
    expect(parseRedisUrl('unix://u:pw@localhost/run/redis.sock')).toMatchObject({
      path: '/run/redis.sock',
      username: 'u',
      password: 'pw',
    });
  });

  it.each([
    ['http://redis:6379', /scheme 'http:'/],
    ['redis:///', /no host/],
    ['unix://', /socket path/],
    ['redis://redis/abc', /database 'abc'/],
    ['not a url with secret', /not a URL/],
  ])('refuses %s without echoing it', (url, message) => {
    let error: unknown;
    try {
      parseRedisUrl(url);
    } catch (err) {
      error = err;
    }
    expect(String(error)).toMatch(message);
    expect(String(error)).not.toContain('secret');
  });
});
