/** Digits after the decimal point in `currency` (its ISO 4217 exponent: NOK 2, JPY 0, KWD 3). */
export function minorUnitDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount in minor units as people read it: `347.00 NOK`, `1200 JPY`. */
export function formatMoney(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
}

/** The ISO 4217 codes the runtime knows. */
export const CURRENCY_CODES: readonly string[] = Intl.supportedValuesOf('currency');
