import { BadRequestException, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';

/**
 * Nest's ValidationPipe, answering one `message` string like every other error of this app: each
 * problem once (a field's rules may share one message), joined with "; ".
 */
export class OneMessageValidationPipe extends ValidationPipe {
  constructor(options: ValidationPipeOptions) {
    super(options);
    this.exceptionFactory = (errors) => new BadRequestException([...new Set(this.flattenValidationErrors(errors))].join('; '));
  }
}
