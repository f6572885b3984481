import { describe, expect, it } from 'vitest';
import {
  TRANSACTION_STATUSES,
  type DinteroTransaction,
  type TransactionStatus,
} from '../../sample-app/src/payments/dintero-transaction.js';
import { formatMoney } from '../../sample-app/src/payments/money.js';
import { allowedOperations, paymentState, planOperation, STATUS_VIEWS } from '../../sample-app/src/payments/payment-rules.js';
import { summarize } from '../../sample-app/src/payments/payment-summary.js';
import { returnPage } from '../../sample-app/src/payments/return-page.js';

/** A 10 000 transaction of two lines in `status`, with `captured` and `refunded` of line a. */
function transaction(status: TransactionStatus, captured = 0, refunded = 0, currency = 'NOK'): DinteroTransaction {
  const line = (amount: number) => [{ line_id: 'a', amount }];
  return {
    id: 'T12345678.abc',
    status,
    amount: 10_000,
    currency,
    merchant_reference: 'order-1',
    items: [
      { line_id: 'a', amount: 6_000, quantity: 2, description: 'Socks' },
      { line_id: 'b', amount: 4_000, quantity: 1, description: 'Hat' },
    ],
    events: [
      ...(captured ? [{ event: 'CAPTURE', success: true, amount: captured, items: line(captured) }] : []),
      ...(refunded ? [{ event: 'REFUND', success: true, amount: refunded, items: line(refunded) }] : []),
    ],
  };
}

// status, captured, refunded -> [capture, refund, void]
const RULES: [TransactionStatus, number, number, [boolean, boolean, boolean]][] = [
  ['INITIATED', 0, 0, [false, false, false]],
  ['ON_HOLD', 0, 0, [false, false, false]],
  ['UNKNOWN', 0, 0, [false, false, false]],
  ['AUTHORIZED', 0, 0, [true, false, true]],
  ['AUTHORIZATION_VOIDED', 0, 0, [false, false, false]],
  ['PARTIALLY_CAPTURED', 6_000, 0, [true, true, false]],
  ['CAPTURED', 10_000, 0, [false, true, false]],
  // Dintero offers "refund, capture remaining" here.
  ['PARTIALLY_CAPTURED_REFUNDED', 6_000, 3_000, [true, true, false]],
  ['PARTIALLY_REFUNDED', 10_000, 3_000, [false, true, false]],
  ['REFUNDED', 10_000, 10_000, [false, false, false]],
  ['DECLINED', 0, 0, [false, false, false]],
  ['FAILED', 0, 0, [false, false, false]],
];

describe('what may be done in each status', () => {
  it.each([
    ['vipps', true],
    ['payex.creditcard', true],
    ['klarna.klarna', true],
    ['dintero_psp.creditcard', false],
    ['collector.invoice', false],
  ])('after a partial capture, %s may void the rest: %s', (product, voidable) => {
    const partly = { ...transaction('PARTIALLY_CAPTURED', 6_000), payment_product_type: product };
    expect(allowedOperations(paymentState(partly)).void).toBe(voidable);
  });

  it('covers every status Dintero has', () => {
    expect(RULES.map(([status]) => status).sort()).toEqual([...TRANSACTION_STATUSES].sort());
  });

  it.each(RULES)('%s (captured %i, refunded %i): capture, refund, void = %j', (status, captured, refunded, [capture, refund, voidable]) => {
    expect(allowedOperations(paymentState(transaction(status, captured, refunded)))).toEqual({ capture, refund, void: voidable });
  });

  it.each(RULES)('the return page for %s has its own heading and enables only what is allowed', (status, captured, refunded, allowed) => {
    const page = returnPage({ payment: summarize(transaction(status, captured, refunded)) });
    expect(page).toContain(`<h1>${STATUS_VIEWS[status].heading}</h1>`);
    const enabled = ['capture', 'refund', 'void'].map((id) => page.includes(`<button id="${id}">`));
    expect(enabled).toEqual(allowed);
    expect(page.includes('data-pending="true"')).toBe(STATUS_VIEWS[status].pending);
  });

  it('gives every status a distinct heading, and "authorized" to AUTHORIZED alone', () => {
    const headings = Object.values(STATUS_VIEWS).map((view) => view.heading);
    expect(new Set(headings).size).toBe(headings.length);
    expect(headings.filter((heading) => /authorized/i.test(heading))).toEqual(['Payment authorized']);
  });
});

describe('choosing lines', () => {
  const state = paymentState(transaction('PARTIALLY_CAPTURED', 6_000));

  it('captures what is left by default, whole lines only', () => {
    expect(planOperation(state, 'capture', { all: true })).toEqual({
      amount: 4_000,
      items: [{ line_id: 'b', description: 'Hat', quantity: 1, amount: 4_000 }],
    });
  });

  it('refunds only captured lines', () => {
    expect(planOperation(state, 'refund', { all: true })).toEqual({
      amount: 6_000,
      items: [{ line_id: 'a', description: 'Socks', quantity: 2, amount: 6_000 }],
    });
    expect(planOperation(state, 'refund', { lineIds: ['b'] })).toEqual({ problem: 'Hat has nothing left to refund.' });
    expect(planOperation(state, 'refund', { lineIds: ['z'] })).toEqual({ problem: 'This payment has no line z.' });
  });

  it('refuses more than is left before anything else', () => {
    expect(planOperation(state, 'capture', { amount: 4_001 })).toEqual({ problem: 'amount: 4001 exceeds the 4000 still authorized' });
  });

  it('captures by amount when the transaction has no lines', () => {
    const bare = paymentState({ ...transaction('AUTHORIZED'), items: [] });
    expect(planOperation(bare, 'capture', { amount: 1_234 })).toEqual({ amount: 1_234 });
  });
});

describe("money by the currency's minor unit", () => {
  it.each([
    [34_700, 'NOK', '347.00 NOK'],
    [1_200, 'JPY', '1200 JPY'],
    [1_200, 'ISK', '1200 ISK'],
    [12_345, 'KWD', '12.345 KWD'],
  ])('%i minor units of %s read %s', (minor, currency, text) => {
    expect(formatMoney(minor, currency)).toBe(text);
  });

  it('the return page shows yen without decimals', () => {
    const page = returnPage({ payment: summarize(transaction('AUTHORIZED', 0, 0, 'JPY')) });
    expect(page).toContain('<dd id="amount">10000 JPY</dd>');
  });
});
