import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Capture or refund body: an amount in minor units, or nothing for "all that is left". */
export class AmountDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  amount?: number;
}
