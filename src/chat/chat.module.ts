import { Module } from '@nestjs/common';
import { CodexModule } from '../codex/codex.module';
import { ImagesModule } from '../images/images.module';
import { ModelsModule } from '../models/models.module';
import { ChatRequestService } from './chat-request.service';
import { ChatController } from './chat.controller';
import { ChatService } from './chat.service';

@Module({
  imports: [CodexModule, ModelsModule, ImagesModule],
  controllers: [ChatController],
  providers: [ChatRequestService, ChatService],
})
export class ChatModule {}
