import { Module } from '@nestjs/common';
import { TurnResponder } from '../common/http/turn-responder';
import { TurnRequestPreparer } from '../openai/turn-request.preparer';
import { CodexModule } from '../codex/codex.module';
import { ImagesModule } from '../images/images.module';
import { CatalogModule } from '../catalog/catalog.module';
import { PolicyModule } from '../policy/policy.module';
import { ChatRequestService } from './chat-request.service';
import { ChatController } from './chat.controller';
import { ChatService } from './chat.service';

@Module({
  imports: [CodexModule, CatalogModule, PolicyModule, ImagesModule],
  controllers: [ChatController],
  providers: [ChatRequestService, ChatService, TurnRequestPreparer, TurnResponder],
})
export class ChatModule {}
