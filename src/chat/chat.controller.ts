import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { apiKeyNameOf } from '../common/auth/api-key.types';
import { clientSignal } from '../common/http/client-signal';
import { Metered } from '../common/http/metered.decorator';
import { TurnResponder } from '../common/http/turn-responder';
import { ChatRequestService } from './chat-request.service';
import { ChatService } from './chat.service';
import { CreateChatCompletionDto } from './dto/create-chat-completion.dto';

@Controller('chat')
export class ChatController {
  constructor(
    private readonly requests: ChatRequestService,
    private readonly chat: ChatService,
    private readonly responder: TurnResponder,
  ) {}

  /** One route answers JSON or SSE depending on `stream`, which `@Sse()` cannot do. */
  @Post('completions')
  @HttpCode(200)
  @Metered()
  async create(@Body() dto: CreateChatCompletionDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const prepared = await this.requests.prepare(dto, clientSignal(res), apiKeyNameOf(req));
    await this.responder.send(res, this.chat.reply(prepared, dto.stream === true));
  }
}
