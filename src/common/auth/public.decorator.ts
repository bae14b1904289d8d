import { Reflector } from '@nestjs/core';

/** Marks a route as reachable without an API key (health probes). */
export const Public = Reflector.createDecorator<boolean>();
