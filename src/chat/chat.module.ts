import { Module } from '@nestjs/common';
import { CodexModule } from '../codex/codex.module';
import { ModelsModule } from '../models/models.module';
import { ChatController } from './chat.controller';
import { ChatService } from './chat.service';

@Module({
  imports: [CodexModule, ModelsModule],
  controllers: [ChatController],
  providers: [ChatService],
})
export class ChatModule {}
