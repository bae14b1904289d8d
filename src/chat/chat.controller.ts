import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { lastValueFrom } from 'rxjs';
import { untilClosed } from '../common/http/until-closed';
import { ChatService } from './chat.service';
import { CreateChatCompletionDto } from './dto/create-chat-completion.dto';

@Controller('chat')
export class ChatController {
  constructor(private readonly chat: ChatService) {}

  /** One route answers JSON or SSE depending on `stream`, which `@Sse()` cannot do. */
  @Post('completions')
  @HttpCode(200)
  async create(@Body() dto: CreateChatCompletionDto, @Res() res: Response): Promise<void> {
    const prepared = this.chat.prepare(dto);
    if (prepared.ignoredParams.length > 0) res.setHeader('X-Gateway-Ignored-Params', prepared.ignoredParams.join(', '));
    if (dto.stream) return this.chat.streamTo(res, prepared);
    res.json(await lastValueFrom(this.chat.complete(prepared).pipe(untilClosed(res))));
  }
}
