import { Module } from '@nestjs/common';
import { CodexModule } from '../codex/codex.module';
import { ModelsService } from './models.service';

/** The model catalog, shared by every feature that resolves a model id (chat, responses, models, health). */
@Module({
  imports: [CodexModule],
  providers: [ModelsService],
  exports: [ModelsService],
})
export class CatalogModule {}
