import { Type } from 'class-transformer';
import { CURRENCY_CODES } from '../money.js';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const INT32_MAX = 2_147_483_647;

/** One message for every way an amount can be wrong (null, a string, an array, 1.5, 0): not three. */
export const AMOUNT_RULE = {
  message: `$property must be an integer: minor units (4900 is 49.00 NOK), from 1 to ${INT32_MAX}`,
};

/** One order line; amounts in minor units (øre, cents), VAT included. */
export class OrderItemDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  description!: string;

  @IsInt()
  @Min(1)
  quantity!: number;

  /** Line total in minor units, VAT included. */
  @IsInt()
  @Min(0)
  @Max(INT32_MAX)
  amount!: number;

  /** VAT percentage, e.g. 25. */
  @IsNumber()
  @Min(0)
  @Max(100)
  vat!: number;
}

/** `POST /payments`: what to charge. */
export class CreatePaymentDto {
  /** Total in minor units, VAT included. */
  @IsInt(AMOUNT_RULE)
  @Min(1, AMOUNT_RULE)
  @Max(INT32_MAX, AMOUNT_RULE)
  amount!: number;

  /** ISO 4217 code, e.g. NOK. */
  @IsString()
  @IsIn(CURRENCY_CODES, { message: 'currency must be an ISO 4217 code such as NOK' })
  currency!: string;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  items?: OrderItemDto[];
}
