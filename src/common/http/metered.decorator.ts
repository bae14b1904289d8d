import { Reflector } from '@nestjs/core';

/** Marks a route that runs Codex turns: its key's token quota is checked before, and its usage filed after. */
export const Metered = Reflector.createDecorator<boolean>();
