import { Module } from '@nestjs/common';
import { TurnResponder } from '../common/http/turn-responder';
import { TurnRequestPreparer } from '../openai/turn-request.preparer';
import { CodexModule } from '../codex/codex.module';
import { ImagesModule } from '../images/images.module';
import { CatalogModule } from '../catalog/catalog.module';
import { PolicyModule } from '../policy/policy.module';
import { responseStoreProvider } from './store/response-store.provider';
import { ResponseRequestService } from './response-request.service';
import { ResponseThreadPlanner } from './response-thread.planner';
import { ResponsesController } from './responses.controller';
import { ResponsesService } from './responses.service';

@Module({
  imports: [CodexModule, CatalogModule, PolicyModule, ImagesModule],
  controllers: [ResponsesController],
  providers: [
    ResponsesService,
    ResponseRequestService,
    ResponseThreadPlanner,
    TurnRequestPreparer,
    TurnResponder,
    responseStoreProvider,
  ],
})
export class ResponsesModule {}
