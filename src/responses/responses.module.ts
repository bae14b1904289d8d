import { Module } from '@nestjs/common';
import { CodexModule } from '../codex/codex.module';
import { ImagesModule } from '../images/images.module';
import { ModelsModule } from '../models/models.module';
import { FileResponseStore } from './store/file-response.store';
import { RESPONSE_STORE } from './store/response-store';
import { SizeCappedResponseStore } from './store/record-size';
import { codexConfig, CodexConfig } from '../config/codex.config';
import { ResponseRequestFactory } from './response-request.factory';
import { ResponseThreadPlanner } from './response-thread.planner';
import { ResponsesController } from './responses.controller';
import { ResponsesService } from './responses.service';

@Module({
  imports: [CodexModule, ModelsModule, ImagesModule],
  controllers: [ResponsesController],
  providers: [
    ResponsesService,
    ResponseRequestFactory,
    ResponseThreadPlanner,
    FileResponseStore,
    // Every store sits behind the same size cap.
    {
      provide: RESPONSE_STORE,
      useFactory: (store: FileResponseStore, config: CodexConfig) => new SizeCappedResponseStore(store, config.responsesMaxRecordBytes),
      inject: [FileResponseStore, codexConfig.KEY],
    },
  ],
})
export class ResponsesModule {}
