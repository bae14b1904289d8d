import { makeCodexHome, TEST_MODELS } from './support/codex-home';
import { FakeProvider } from './support/fake-provider';
import { startGateway, suiteGateway } from './support/gateway';
import { postJson } from './support/http';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const msg = [{ role: 'user', content: 'hi' }];

describe('x_codex policy', () => {
  const gw = suiteGateway();

  const rejected: [string, Record<string, unknown>, string][] = [
    ['danger-full-access without the server switch', { sandbox: 'danger-full-access' }, 'x_codex.sandbox'],
    ['a TOML injection in sandbox', { sandbox: 'danger-full-access"#' }, 'x_codex.sandbox'],
    [
      'a multi-line injection in sandbox',
      { sandbox: 'read-only"\nsandbox_mode="danger-full-access' },
      'x_codex.sandbox',
    ],
    ['an unknown sandbox', { sandbox: 'none' }, 'x_codex.sandbox'],
    [
      'a TOML injection in reasoning_effort',
      { reasoning_effort: 'high"\nsandbox_mode="danger-full-access' },
      'x_codex.reasoning_effort',
    ],
    ['an effort the model does not support', { reasoning_effort: 'minimal' }, 'x_codex.reasoning_effort'],
    ['a non-boolean network_access', { network_access: 'true' }, 'x_codex.network_access'],
    ['a non-boolean hide_reasoning', { hide_reasoning: 1 }, 'x_codex.hide_reasoning'],
  ];

  it.each(rejected)('refuses %s with 400 and starts no turn', async (_name, xCodex, param) => {
    const before = gw.providerCalls();
    const r = await postJson(`${gw.url}/v1/chat/completions`, {
      model: TEST_MODELS.full,
      messages: msg,
      x_codex: xCodex,
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(gw.providerCalls()).toBe(before);
  });

  it('refuses an OpenAI reasoning_effort the model does not support', async () => {
    const r = await postJson(`${gw.url}/v1/chat/completions`, {
      model: TEST_MODELS.mini,
      messages: msg,
      reasoning_effort: 'high',
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ param: 'reasoning_effort', code: 'unsupported_value' });
  });

  it('passes an allowed sandbox and network access to Codex', async () => {
    const before = gw.providerCalls();
    const r = await postJson(`${gw.url}/v1/chat/completions`, {
      model: TEST_MODELS.full,
      messages: [{ role: 'user', content: 'hi' }],
      x_codex: { sandbox: 'workspace-write', network_access: true },
    });
    expect(r.status).toBe(200);
    const developer = FakeProvider.texts(gw.provider.requests[before]!.body, 'developer').join('\n');
    expect(developer).toContain('`sandbox_mode` is `workspace-write`');
    expect(developer).toContain('Network access is enabled.');
  });

  it('defaults to a read-only sandbox without network', async () => {
    const before = gw.providerCalls();
    expect((await postJson(`${gw.url}/v1/chat/completions`, { model: TEST_MODELS.full, messages: msg })).status).toBe(
      200,
    );
    const developer = FakeProvider.texts(gw.provider.requests[before]!.body, 'developer').join('\n');
    expect(developer).toContain('`sandbox_mode` is `read-only`');
    expect(developer).toContain('Network access is restricted.');
  });

  const malformed: [string, string, string | null][] = [
    ['invalid JSON', '{"model": ', null],
    ['messages missing', JSON.stringify({ model: TEST_MODELS.full }), 'messages'],
    ['messages empty', JSON.stringify({ model: TEST_MODELS.full, messages: [] }), 'messages'],
    [
      'an unknown role',
      JSON.stringify({ model: TEST_MODELS.full, messages: [{ role: 'wizard', content: 'x' }] }),
      'messages[0].role',
    ],
    [
      'content of the wrong type',
      JSON.stringify({ model: TEST_MODELS.full, messages: [{ role: 'user', content: 42 }] }),
      'messages[0].content',
    ],
    [
      'a last message that is not from the user',
      JSON.stringify({ model: TEST_MODELS.full, messages: [{ role: 'assistant', content: 'x' }] }),
      'messages[0].role',
    ],
    ['stream as a string', JSON.stringify({ model: TEST_MODELS.full, messages: msg, stream: 'yes' }), 'stream'],
    ['n above one', JSON.stringify({ model: TEST_MODELS.full, messages: msg, n: 2 }), 'n'],
  ];

  it.each(malformed)('answers 400 for %s', async (_name, raw, param) => {
    const before = gw.providerCalls();
    const r = await postJson(`${gw.url}/v1/chat/completions`, raw);
    expect(r.status).toBe(400);
    expect(r.body.error?.type).toBe('invalid_request_error');
    expect(r.body.error?.param).toBe(param);
    expect(gw.providerCalls()).toBe(before);
  });

  it('answers unknown routes with a 404 in OpenAI shape', async () => {
    const r = await postJson(`${gw.url}/v1/nothing-here`, {});
    expect(r.status).toBe(404);
    expect(r.body.error?.type).toBe('invalid_request_error');
  });
});

describe('server switches', () => {
  it('allows danger-full-access only with CODEX_ALLOW_DANGER_FULL_ACCESS=1', async () => {
    const gw = await startGateway({ env: { CODEX_ALLOW_DANGER_FULL_ACCESS: '1' } });
    try {
      const r = await postJson(`${gw.url}/v1/chat/completions`, {
        model: TEST_MODELS.full,
        messages: msg,
        x_codex: { sandbox: 'danger-full-access' },
      });
      expect(r.status).toBe(200);
    } finally {
      await gw.close();
    }
  });

  it('serves under CODEX_LOCAL_ONLY=1 when the provider is on loopback', async () => {
    const gw = await startGateway({ env: { CODEX_LOCAL_ONLY: '1' } });
    try {
      expect((await postJson(`${gw.url}/v1/chat/completions`, { model: TEST_MODELS.full, messages: msg })).status).toBe(
        200,
      );
    } finally {
      await gw.close();
    }
  });

  it('refuses every request under CODEX_LOCAL_ONLY=1 when the provider is not local', async () => {
    // Codex never contacts this provider: every request is refused before a turn starts.
    const gw = await startGateway({
      env: { CODEX_LOCAL_ONLY: '1' },
      home: makeCodexHome('https://provider.example.invalid/v1'),
    });
    try {
      const r = await postJson(`${gw.url}/v1/chat/completions`, { model: TEST_MODELS.full, messages: msg });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ type: 'invalid_request_error', code: 'non_local_provider' });
      expect(gw.providerCalls()).toBe(0);
    } finally {
      await gw.close();
    }
  });

  describe('operator ceilings: CODEX_MAX_REQUEST_SANDBOX=read-only, CODEX_ALLOW_REQUEST_NETWORK=0', () => {
    const gw = suiteGateway({
      env: {
        CODEX_MAX_REQUEST_SANDBOX: 'read-only',
        CODEX_ALLOW_REQUEST_NETWORK: '0',
        CODEX_ALLOW_DANGER_FULL_ACCESS: '1',
      },
    });
    const above: [string, Record<string, unknown>, string, string][] = [
      ['workspace-write', { sandbox: 'workspace-write' }, 'x_codex.sandbox', 'sandbox_not_allowed'],
      [
        'danger-full-access, even with CODEX_ALLOW_DANGER_FULL_ACCESS',
        { sandbox: 'danger-full-access' },
        'x_codex.sandbox',
        'sandbox_not_allowed',
      ],
      ['network on', { network_access: true }, 'x_codex.network_access', 'network_not_allowed'],
      [
        'network on under read-only',
        { sandbox: 'read-only', network_access: true },
        'x_codex.network_access',
        'network_not_allowed',
      ],
    ];

    it.each(above)(
      'refuses %s on both endpoints with 400 naming the field, before any turn',
      async (_name, xCodex, param, code) => {
        const before = gw.providerCalls();
        const chat = await postJson(`${gw.url}/v1/chat/completions`, {
          model: TEST_MODELS.full,
          messages: msg,
          x_codex: xCodex,
        });
        const responses = await postJson(`${gw.url}/v1/responses`, {
          model: TEST_MODELS.full,
          input: 'hi',
          x_codex: xCodex,
        });
        for (const r of [chat, responses]) {
          expect(r.status).toBe(400);
          expect(r.body.error).toMatchObject({ type: 'invalid_request_error', param, code });
        }
        expect(gw.providerCalls()).toBe(before);
      },
    );

    it('still serves what is within the ceiling', async () => {
      for (const xCodex of [{}, { sandbox: 'read-only' }, { network_access: false }]) {
        expect(
          (await postJson(`${gw.url}/v1/chat/completions`, { model: TEST_MODELS.full, messages: msg, x_codex: xCodex }))
            .status,
        ).toBe(200);
      }
    });
  });

  it('lets a request ask for the server default even above the ceiling, and keeps network on when the server turned it on', async () => {
    const gw = await startGateway({
      env: {
        CODEX_SANDBOX_MODE: 'workspace-write',
        CODEX_MAX_REQUEST_SANDBOX: 'read-only',
        CODEX_WORKSPACE_NETWORK_ACCESS: '1',
        CODEX_ALLOW_REQUEST_NETWORK: '0',
      },
    });
    try {
      const r = await postJson(`${gw.url}/v1/chat/completions`, {
        model: TEST_MODELS.full,
        messages: msg,
        x_codex: { sandbox: 'workspace-write', network_access: true },
      });
      expect(r.status).toBe(200);
    } finally {
      await gw.close();
    }
  });

  it('keeps /tmp out of workspace-write when the image directory is there; elsewhere it stays writable', async () => {
    const writableRoots = async (env: Record<string, string>): Promise<string> => {
      const gw = await startGateway({ env });
      try {
        const r = await postJson(`${gw.url}/v1/chat/completions`, {
          model: TEST_MODELS.full,
          messages: msg,
          x_codex: { sandbox: 'workspace-write' },
        });
        expect(r.body.error ?? null).toBeNull();
        const developer = FakeProvider.texts(gw.provider.requests[0]!.body, 'developer').join('\n');
        return /The writable roots? (?:is|are) (.*)\./.exec(developer)?.[1] ?? '';
      } finally {
        await gw.close();
      }
    };
    // Not the default (CODEX_DATA_DIR/images): the test's data dir lies under /tmp when the checkout does.
    const outsideTmp = mkdtempSync(join(homedir(), '.cw-images-'));
    try {
      expect(await writableRoots({ IMAGE_TEMP_DIR: outsideTmp })).toContain('`/tmp`');
    } finally {
      rmSync(outsideTmp, { recursive: true, force: true });
    }
    expect(await writableRoots({ IMAGE_TEMP_DIR: mkdtempSync(join(tmpdir(), 'cw-images-')) })).not.toContain('`/tmp`');
  });
});
