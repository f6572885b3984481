import { type ArgumentMetadata, BadRequestException, type PipeTransform } from '@nestjs/common';

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Refuses a body with a `__proto__`, `constructor` or `prototype` key at any depth. The
 * transformer drops such keys without a word (`forbidNonWhitelisted` never sees them), so
 * `{"__proto__": {"amount": 4900}}` would otherwise arrive as `{}`: a different request.
 * Runs after {@link BodyDepthPipe}, which bounds the walk.
 */
export class PrototypeKeysPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body') return value;
    const stack: unknown[] = [value];
    while (stack.length > 0) {
      const node = stack.pop();
      if (typeof node !== 'object' || node === null) continue;
      for (const key of Object.keys(node)) {
        if (PROTOTYPE_KEYS.has(key)) throw new BadRequestException(`body: "${key}" is not a field`);
        stack.push((node as Record<string, unknown>)[key]);
      }
    }
    return value;
  }
}
