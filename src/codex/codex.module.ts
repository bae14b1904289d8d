import { Module } from '@nestjs/common';
import { CodexConfigFileService } from './codex-config-file.service';
import { CodexEngineService } from './codex-engine.service';
import { CodexPoolService } from './codex-pool.service';
import { CodexProcessRunner } from './codex-process.runner';
import { CodexReadsService } from './codex-reads.service';
import { CodexTurnRegistry } from './codex-turn-registry.service';
import { SpareThreadsService } from './spare-threads.service';
import { ParkedTurnsService } from './tools/parked-turns.service';
import { ToolCatalogService } from './tools/tool-catalog.service';
import { IdleThreadsService } from './conversations/idle-threads.service';
import { ToolReasoningCache } from './tools/tool-reasoning.cache';

/** The only module that talks to the Codex CLI: turns through CodexEngineService, reads through CodexReadsService. */
@Module({
  providers: [
    CodexProcessRunner,
    CodexPoolService,
    CodexReadsService,
    CodexEngineService,
    CodexConfigFileService,
    SpareThreadsService,
    CodexTurnRegistry,
    ParkedTurnsService,
    ToolCatalogService,
    ToolReasoningCache,
    IdleThreadsService,
  ],
  exports: [
    IdleThreadsService,
    CodexPoolService,
    CodexReadsService,
    CodexEngineService,
    CodexConfigFileService,
    CodexTurnRegistry,
  ],
})
export class CodexModule {}
