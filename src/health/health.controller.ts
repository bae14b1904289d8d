import { Controller, Get, Header, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { Public } from '../common/auth/public.decorator';
import { Readiness, ReadinessService } from './readiness.service';

/** Probes for orchestrators and proxies: outside /v1, no API key, no rate limit, never a Codex call. */
@Controller()
@Public()
@SkipThrottle()
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** Liveness: the process serves HTTP. Restarting it would not fix anything readiness reports. */
  @Get('healthz')
  @Header('Cache-Control', 'no-store')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: 200 when a request could be served now, else 503 with the reasons. */
  @Get('readyz')
  @Header('Cache-Control', 'no-store')
  readyz(@Res({ passthrough: true }) res: Response): Readiness & { status: 'ready' | 'not_ready' } {
    const state = this.readiness.check();
    res.status(state.ready ? 200 : 503);
    return { status: state.ready ? 'ready' : 'not_ready', ...state };
  }
}
