import { NotFoundError } from 'openai';
import { TEST_MODELS } from './support/codex-home';
import { suiteGateway } from './support/gateway';
import { postJson } from './support/http';

describe('GET /v1/models', () => {
  const gw = suiteGateway();

  it('lists the engine catalog with an alias per supported effort', async () => {
    const res = await fetch(`${gw.url}/v1/models`);
    const body = (await res.json()) as {
      object: string;
      data: { id: string; object: string; owned_by: string; created: number }[];
    };
    expect(body.object).toBe('list');
    const ids = body.data.map((m) => m.id);
    expect(ids).toEqual([
      TEST_MODELS.full,
      `${TEST_MODELS.full} low`,
      `${TEST_MODELS.full} medium`,
      `${TEST_MODELS.full} high`,
      `${TEST_MODELS.full} xhigh`,
      TEST_MODELS.mini,
      `${TEST_MODELS.mini} low`,
      `${TEST_MODELS.mini} medium`,
    ]);
    expect(body.data[0]).toMatchObject({ object: 'model', owned_by: 'codex' });
  });

  it('lists through the OpenAI SDK and retrieves one model, alias included', async () => {
    const client = gw.client();
    const page = await client.models.list();
    expect(page.data.length).toBe(8);
    await expect(client.models.retrieve(`${TEST_MODELS.mini} low`)).resolves.toMatchObject({
      id: `${TEST_MODELS.mini} low`,
    });
  });

  it('answers 404 model_not_found for unknown models and unsupported alias efforts', async () => {
    await expect(gw.client().models.retrieve('no-such-model')).rejects.toBeInstanceOf(NotFoundError);
    const before = gw.providerCalls();
    for (const model of ['no-such-model', `${TEST_MODELS.mini} high`, `${TEST_MODELS.full} bogus`]) {
      const r = await postJson(`${gw.url}/v1/chat/completions`, { model, messages: [{ role: 'user', content: 'hi' }] });
      expect(r.status).toBe(404);
      expect(r.body.error).toMatchObject({ type: 'invalid_request_error', code: 'model_not_found', param: 'model' });
    }
    expect(gw.providerCalls()).toBe(before);
  });
});
