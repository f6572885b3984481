import { BadRequestException, type PipeTransform } from '@nestjs/common';

/** Dintero's transaction ids: an account id, a dot, then an opaque base62 part. */
export const TRANSACTION_ID = /^[PT]\d{3,8}\.[A-Za-z0-9]+$/;

/**
 * A `:transactionId` from the URL, checked before it reaches a Dintero path: `.`, `..` or an
 * encoded slash would otherwise turn `/transactions/{id}` into another Dintero resource, read
 * with this app's bearer.
 */
export class TransactionIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !TRANSACTION_ID.test(value))
      throw new BadRequestException('transactionId: not a Dintero transaction id');
    return value;
  }
}
