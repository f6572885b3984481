import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/**
 * Capture or refund body: whole lines by `lineIds`, or an `amount` in minor units that whole
 * lines add up to, or nothing for "all that is left".
 */
export class OperationDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  amount?: number;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  lineIds?: string[];
}
