import { type ArgumentMetadata, BadRequestException, type PipeTransform } from '@nestjs/common';

/**
 * Rejects bodies nested deeper than `maxDepth` before validation walks them (class-transformer
 * recurses and would overflow the stack). Counted with an explicit stack, for the same reason.
 */
export class BodyDepthPipe implements PipeTransform {
  constructor(private readonly maxDepth: number) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body') return value;
    const stack: [unknown, number][] = [[value, 1]];
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      if (typeof node !== 'object' || node === null) continue;
      if (depth > this.maxDepth) throw new BadRequestException(`body: nested deeper than ${this.maxDepth} levels`);
      for (const child of Object.values(node)) stack.push([child, depth + 1]);
    }
    return value;
  }
}
