import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const INT32_MAX = 2_147_483_647;

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
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  amount!: number;

  /** ISO 4217 code, e.g. NOK. */
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code such as NOK' })
  currency!: string;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  items?: OrderItemDto[];
}
