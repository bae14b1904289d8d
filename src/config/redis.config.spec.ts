import { redisConfig } from './redis.config';

describe('redisConfig', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  beforeEach(() => {
    for (const k of ['REDIS_URL', 'REDIS_TLS_CA_FILE', 'REDIS_KEY_PREFIX', 'REPLICA_ID', 'USAGE_ADMIN_KEYS'])
      delete process.env[k];
  });

  it('needs no Redis by default: no target, one local replica', () => {
    expect(redisConfig()).toMatchObject({ target: null, keyPrefix: 'cw:', replicaId: 'local', usageAdminKeys: [] });
  });

  it('derives a stable replica id with REDIS_URL, and takes REPLICA_ID and the admin key names as given', () => {
    process.env.REDIS_URL = 'redis://redis:6379';
    const derived = redisConfig().replicaId;
    expect(derived).toMatch(/^[0-9a-f]{12}$/);
    expect(redisConfig().replicaId).toBe(derived);
    process.env.REPLICA_ID = 'gateway-1';
    process.env.USAGE_ADMIN_KEYS = 'ops, audit';
    expect(redisConfig()).toMatchObject({
      replicaId: 'gateway-1',
      usageAdminKeys: ['ops', 'audit'],
      target: { host: 'redis', port: 6379 },
    });
  });

  it.each([
    [{ REDIS_URL: 'http://redis' }, /REDIS_URL: scheme/],
    [{ REDIS_URL: 'redis://redis', REDIS_TLS_CA_FILE: '/etc/ca.pem' }, /REDIS_TLS_CA_FILE needs a rediss:\/\//],
    [{ REPLICA_ID: 'has space' }, /REPLICA_ID/],
    [{ REDIS_KEY_PREFIX: '{bad}' }, /REDIS_KEY_PREFIX/],
  ])('stops the boot on %j', (env, message) => {
    Object.assign(process.env, env);
    expect(() => redisConfig()).toThrow(message);
  });
});
