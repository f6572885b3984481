import { AMOUNT_RULE } from './create-payment.dto.js';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, Equals, IsArray, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/**
 * Capture or refund body: lines by `lineIds`, an `amount` in minor units, both (the amount the
 * named lines leave), or `{"all": true}` for all that is left. An empty body is refused: "all"
 * is never what a body means by accident.
 */
export class OperationDto {
  /** Everything that is left: asked for explicitly, and alone. */
  @IsOptional()
  @Equals(true, { message: 'all: true or absent' })
  all?: true;

  @IsOptional()
  @IsInt(AMOUNT_RULE)
  @Min(1, AMOUNT_RULE)
  @Max(2_147_483_647, AMOUNT_RULE)
  amount?: number;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  lineIds?: string[];
}
