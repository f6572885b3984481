import type { DinteroItem, DinteroTransaction, TransactionStatus } from './dintero-transaction.js';

/** What this app can ask Dintero to do with a transaction. */
export type Operation = 'capture' | 'refund' | 'void';

/** How each status reads to a person, and whether it is still to be decided. */
export const STATUS_VIEWS: Readonly<Record<TransactionStatus, { heading: string; note: string; pending: boolean }>> = {
  INITIATED: { heading: 'Payment started', note: 'The payer has not finished at Dintero yet.', pending: true },
  ON_HOLD: {
    heading: 'Payment on hold',
    note: 'Dintero is still deciding; it calls back once the payment is authorized or failed.',
    pending: true,
  },
  UNKNOWN: { heading: 'Payment status unknown', note: 'Dintero does not know the outcome yet; this page checks again.', pending: true },
  AUTHORIZED: { heading: 'Payment authorized', note: 'The amount is reserved: capture it when you ship, or void it.', pending: false },
  AUTHORIZATION_VOIDED: { heading: 'Authorization voided', note: 'The reservation was released; nothing was charged.', pending: false },
  PARTIALLY_CAPTURED: { heading: 'Payment partly captured', note: 'Some lines are charged; the rest is still reserved.', pending: false },
  CAPTURED: { heading: 'Payment captured', note: 'The whole order is charged.', pending: false },
  PARTIALLY_CAPTURED_REFUNDED: {
    heading: 'Partly captured, partly refunded',
    note: 'Some charged lines were paid back; the rest is still reserved and can be captured.',
    pending: false,
  },
  PARTIALLY_REFUNDED: { heading: 'Payment partly refunded', note: 'Some lines were paid back.', pending: false },
  REFUNDED: { heading: 'Payment refunded', note: 'Everything charged was paid back.', pending: false },
  DECLINED: { heading: 'Payment declined', note: 'The payer could not be authorized.', pending: false },
  FAILED: { heading: 'Payment failed', note: 'Dintero could not process the payment.', pending: false },
};

const CAPTURABLE = new Set<TransactionStatus>(['AUTHORIZED', 'PARTIALLY_CAPTURED', 'PARTIALLY_CAPTURED_REFUNDED']);
/** Payment product types whose void after a partial capture releases the rest (Dintero's void operation). */
const VOID_REMAINING = new Set([
  'payex.creditcard',
  'payex.mobilepay',
  'payex.vipps',
  'payex.applepay',
  'payex.clicktopay',
  'payex.googlepay',
  'vipps',
  'klarna.klarna',
  'klarna.billie',
]);
const REFUNDABLE = new Set<TransactionStatus>(['CAPTURED', 'PARTIALLY_CAPTURED', 'PARTIALLY_REFUNDED', 'PARTIALLY_CAPTURED_REFUNDED']);

/** One order line with what is captured and refunded of it. */
export interface LineState {
  lineId: string;
  description: string;
  quantity: number;
  amount: number;
  captured: number;
  refunded: number;
}

/** A transaction as this app reasons about it: totals and lines from Dintero's events. */
export interface PaymentState {
  status: TransactionStatus;
  amount: number;
  captured: number;
  refunded: number;
  /** Released without capture (a void of the rest, or `final_capture`). */
  voided: number;
  paymentProductType?: string | undefined;
  lines: LineState[];
}

/** Which part of the payment to capture or refund: lines, an amount, or all that is left (`all`). */
export interface Selection {
  amount?: number;
  lineIds?: string[];
  all?: true;
}

/** Why a selection asks for nothing definite (empty, or `all` mixed with more), or undefined. */
export function selectionProblem(selection: Selection): string | undefined {
  const named = selection.amount !== undefined || selection.lineIds !== undefined;
  if (selection.all === true) return named ? 'body: "all" goes alone, without amount or lineIds' : undefined;
  return named ? undefined : 'body: name the lines (lineIds), an amount, or everything ({"all": true})';
}

/** A capture or refund as Dintero takes it. */
export interface OperationPlan {
  amount: number;
  items?: DinteroItem[];
}

function successful(transaction: DinteroTransaction, event: string) {
  return (transaction.events ?? []).filter((entry) => entry.event === event && entry.success);
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

export function paymentState(transaction: DinteroTransaction): PaymentState {
  const captures = successful(transaction, 'CAPTURE');
  const refunds = successful(transaction, 'REFUND');
  const voids = successful(transaction, 'VOID');
  const lineTotal = (events: typeof captures, lineId: string) =>
    sum(
      events
        .flatMap((entry) => entry.items ?? [])
        .filter((item) => item.line_id === lineId)
        .map((item) => item.amount),
    );
  return {
    status: transaction.status,
    amount: transaction.amount,
    captured: sum(captures.map((entry) => entry.amount)),
    refunded: sum(refunds.map((entry) => entry.amount)),
    voided: sum(voids.map((entry) => entry.amount)),
    paymentProductType: transaction.payment_product_type,
    lines: (transaction.items ?? []).map((item) => ({
      lineId: item.line_id,
      description: item.description ?? item.line_id,
      quantity: item.quantity ?? 1,
      amount: item.amount,
      captured: lineTotal(captures, item.line_id),
      refunded: lineTotal(refunds, item.line_id),
    })),
  };
}

/**
 * What may be done in this state: capture while something is authorized (after a partial refund
 * too), refund what is captured, void before any capture, or void the rest after a partial
 * capture where the payment product allows it.
 */
export function allowedOperations(state: PaymentState): Record<Operation, boolean> {
  return {
    capture: CAPTURABLE.has(state.status) && state.captured + state.voided < state.amount,
    refund: REFUNDABLE.has(state.status) && state.refunded < state.captured,
    void:
      (state.status === 'AUTHORIZED' && state.captured === 0) ||
      (state.status === 'PARTIALLY_CAPTURED' && VOID_REMAINING.has(state.paymentProductType ?? '')),
  };
}

/** Why `operation` is not allowed now, in words; undefined when it is. */
export function refusal(state: PaymentState, operation: Operation): string | undefined {
  if (allowedOperations(state)[operation]) return undefined;
  if (operation === 'refund' && REFUNDABLE.has(state.status)) return 'Cannot refund: everything captured is already refunded';
  if (operation === 'refund' && state.captured === 0) return `Cannot refund: nothing is captured (the payment is ${state.status})`;
  return `Cannot ${operation}: the payment is ${state.status}`;
}

/**
 * The lines of a capture or refund. Lines go whole: named by `lineIds`, or, for an `amount`,
 * the first lines in order that fit into it (the amount must come out exact). With neither,
 * everything that is left. A transaction without lines is captured or refunded by amount.
 */
export function planOperation(
  state: PaymentState,
  operation: 'capture' | 'refund',
  selection: Selection,
): OperationPlan | { problem: string } {
  const leftOf = (line: LineState) => (operation === 'capture' ? line.amount - line.captured : line.captured - line.refunded);
  const total = operation === 'capture' ? state.amount - state.captured - state.voided : state.captured - state.refunded;
  const word = operation === 'capture' ? 'still authorized' : 'captured and not refunded';
  if (selection.amount !== undefined && selection.amount > total)
    return { problem: `amount: ${selection.amount} exceeds the ${total} ${word}` };
  const open = state.lines.filter((line) => leftOf(line) > 0);
  if (state.lines.length === 0) return { amount: selection.amount ?? total };
  let chosen: LineState[];
  if (selection.lineIds) {
    const unknown = selection.lineIds.find((id) => !open.some((line) => line.lineId === id));
    if (unknown !== undefined) {
      // Shown to the shopper as it is: the line by its name, not by the API's field.
      const line = state.lines.find((candidate) => candidate.lineId === unknown);
      return { problem: line ? `${line.description} has nothing left to ${operation}.` : `This payment has no line ${unknown}.` };
    }
    chosen = open.filter((line) => selection.lineIds!.includes(line.lineId));
    const left = sum(chosen.map(leftOf));
    if (selection.amount !== undefined && selection.amount !== left) {
      return { problem: `amount: ${selection.amount} is not what lineIds ${selection.lineIds.join(', ')} leave to ${operation} (${left})` };
    }
  } else if (selection.amount !== undefined) {
    return { amount: selection.amount, items: splitOverLines(open, selection.amount, leftOf) };
  } else {
    chosen = open;
  }
  const items = chosen.map((line) => lineItem(line, leftOf(line)));
  return { amount: sum(items.map((item) => item.amount)), items };
}

/** `amount` of a line as Dintero takes it: the quantity in proportion (Dintero's quantity is a number). */
function lineItem(line: LineState, amount: number): DinteroItem {
  return { line_id: line.lineId, description: line.description, quantity: (line.quantity * amount) / line.amount, amount };
}

/**
 * An amount over the lines, as Dintero takes any partial amount: the whole lines that make it up
 * exactly, when some do (the first that fit, in order); else the lines in order, each as far as
 * is left of it, the last one in part.
 */
function splitOverLines(open: LineState[], amount: number, leftOf: (line: LineState) => number): DinteroItem[] {
  let remaining = amount;
  const whole: LineState[] = [];
  for (const line of open) {
    if (leftOf(line) > remaining) continue;
    whole.push(line);
    remaining -= leftOf(line);
  }
  if (remaining === 0) return whole.map((line) => lineItem(line, leftOf(line)));
  remaining = amount;
  const items: DinteroItem[] = [];
  for (const line of open) {
    if (remaining === 0) break;
    const part = Math.min(leftOf(line), remaining);
    items.push(lineItem(line, part));
    remaining -= part;
  }
  return items;
}

/** The same operation on the same order gets the same reference, so a retry is recognizable. */
export function operationReference(transaction: DinteroTransaction, operation: 'capture' | 'refund'): string {
  const sequence = (transaction.events ?? []).filter((entry) => entry.event === operation.toUpperCase()).length + 1;
  return `${transaction.merchant_reference}-${operation}-${sequence}`;
}
