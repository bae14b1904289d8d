import type { CodexConfig } from '../config/codex.config';
import type { CodexPoolService } from './codex-pool.service';
import { CodexReadsService } from './codex-reads.service';

function reads(pages: Record<string, { data: { id: string }[]; nextCursor: string | null }>): {
  service: CodexReadsService;
  calls: unknown[][];
} {
  const calls: unknown[][] = [];
  const conn = {
    request: (method: string, params: { cursor?: string | null }) => {
      calls.push([method, params]);
      if (method === 'model/list') return Promise.resolve(pages[params.cursor ?? '']);
      return Promise.resolve({ config: { model: 'm' } });
    },
  };
  const pool = { acquire: () => conn, ready: Promise.resolve() } as unknown as CodexPoolService;
  return { service: new CodexReadsService(pool, { workdir: '/srv/work' } as CodexConfig), calls };
}

describe('CodexReadsService', () => {
  it('lists every page of model/list, without hidden models', async () => {
    const { service, calls } = reads({
      '': { data: [{ id: 'a' }], nextCursor: 'c1' },
      c1: { data: [{ id: 'b' }], nextCursor: null },
    });
    expect((await service.listModels()).map((m) => m.id)).toEqual(['a', 'b']);
    expect(calls).toEqual([
      ['model/list', { includeHidden: false, cursor: null }],
      ['model/list', { includeHidden: false, cursor: 'c1' }],
    ]);
  });

  it('reads the effective config from the work directory, without its layers', async () => {
    const { service, calls } = reads({});
    expect(await service.readEffectiveConfig()).toEqual({ model: 'm' });
    expect(calls).toEqual([['config/read', { includeLayers: false, cwd: '/srv/work' }]]);
  });
});
