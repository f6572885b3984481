import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DinteroTokenService } from '../../lib/index.js';
import { type SampleApp, startSampleApp } from './sample-app.harness.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`SKIPPED: the browser test needs Debian's chromium at ${CHROMIUM} (apt-get install chromium)`);
// UPDATE_SCREENSHOTS=1 npm test refreshes the pictures the README shows.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS ? fileURLToPath(new URL('../../docs/images/', import.meta.url)) : undefined;

let sample: SampleApp;
let browser: Browser;

/** A page that records every answer of 400 or more, favicon requests included. */
async function openPage(width: number, height: number): Promise<{ page: Page; failures: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const failures: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
  });
  return { page, failures };
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** Shop -> Pay with Dintero -> the fake's hosted page, paying with `product`: lands on the return page. */
async function payInBrowser(page: Page, product: string, shot = false): Promise<void> {
  await page.goto(`${sample.origin}/`);
  await expect.poll(() => page.textContent('#total')).toBe('347.00 NOK');
  if (shot) await screenshot(page, 'shop');
  await page.click('#pay');
  await page.waitForURL(/\/v1\/view\//);
  expect(await page.textContent('main')).toContain('Wool socks');
  await page.check(`input[value="${product}"]`);
  if (shot) await screenshot(page, 'fake-checkout');
  await page.click('#pay');
  await page.waitForURL(/\/payments\/return\?transaction_id=/);
  expect(await page.textContent('#status')).toBe('AUTHORIZED');
}

describe.skipIf(!available)('the sample app in a real browser', () => {
  beforeAll(async () => {
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
    sample = await startSampleApp();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await sample?.app.close();
  });

  it('pays by invoice, captures everything, refunds one line: lines and heading follow', async () => {
    const { page, failures } = await openPage(900, 640);
    await payInBrowser(page, 'collector.invoice', true);
    expect(await page.textContent('h1')).toBe('Payment authorized');

    await page.click('#capture');
    await expect.poll(() => page.textContent('#status')).toBe('CAPTURED');
    expect(await page.textContent('#result')).toBe('Captured.');
    expect(await page.isDisabled('#capture')).toBe(true);
    expect(await page.isDisabled('#void')).toBe(true);

    await page.check('input[name="line"][value="2"]');
    await page.click('#refund');
    await expect.poll(() => page.textContent('#status')).toBe('PARTIALLY_REFUNDED');
    expect(await page.textContent('h1')).toBe('Payment partly refunded');
    expect(await page.textContent('#refunded')).toBe('49.00 NOK');
    expect(await page.locator('#lines .state').allTextContents()).toEqual(['captured', 'refunded']);
    await screenshot(page, 'return');

    await page.click('#refund');
    await expect.poll(() => page.textContent('#status')).toBe('REFUNDED');
    expect(await page.isDisabled('#refund')).toBe(true);
    expect(failures).toEqual([]);
    await page.close();
  });

  it('voids an authorization: nothing is left to do', async () => {
    const { page, failures } = await openPage(900, 640);
    await payInBrowser(page, 'dintero_psp.creditcard');
    await page.click('#void');
    await expect.poll(() => page.textContent('#status')).toBe('AUTHORIZATION_VOIDED');
    expect(await page.textContent('h1')).toBe('Authorization voided');
    for (const button of ['#capture', '#refund', '#void']) expect(await page.isDisabled(button)).toBe(true);
    await screenshot(page, 'voided');
    expect(failures).toEqual([]);
    await page.close();
  });

  it('a payment on hold shows as such, and updates itself once Dintero decides', async () => {
    const { page, failures } = await openPage(900, 640);
    await page.goto(`${sample.origin}/`);
    await page.click('#pay');
    await page.waitForURL(/\/v1\/view\//);
    await page.selectOption('#outcome', 'ON_HOLD');
    await page.click('#pay');
    await page.waitForURL(/\/payments\/return\?transaction_id=/);
    expect(await page.textContent('h1')).toBe('Payment on hold');
    expect(await page.isDisabled('#capture')).toBe(true);
    sample.fake.checkout.settle((await page.textContent('#transaction'))!, 'AUTHORIZED');
    await page.waitForSelector('h1:text-is("Payment authorized")');
    expect(await page.isEnabled('#capture')).toBe(true);
    expect(failures).toEqual([]);
    await page.close();
  });

  it('the shop page shows the token live: fingerprint, age, refresh countdown, events as they happen, never the token', async () => {
    const { page, failures } = await openPage(900, 900);
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const tokens = sample.app.get(DinteroTokenService);
    const first = await tokens.getToken();
    await page.goto(`${sample.origin}/`);
    await expect.poll(() => page.textContent('#token-live')).toBe('live');
    expect(await page.textContent('#token-fingerprint')).toBe(first.fingerprint);
    expect(await page.textContent('#token-age')).toMatch(/^\d+ (s|min \d+ s)$/);
    const countdown = async () =>
      Number(/^(\d+) min/.exec((await page.textContent('#token-refresh'))!)?.[1] ?? 0) * 60 +
      Number(/(\d+) s$/.exec((await page.textContent('#token-refresh'))!)?.[1]);
    const before = await countdown();
    expect(before).toBeGreaterThan(0);
    // The countdown runs by itself, without a reload.
    await expect.poll(countdown, { timeout: 5_000 }).toBeLessThan(before);

    const next = await tokens.refresh();
    expect(next.fingerprint).not.toBe(first.fingerprint);
    await expect.poll(() => page.textContent('#token-fingerprint')).toBe(next.fingerprint);
    expect(await page.textContent('#token-events li[data-type="refreshed"]')).toContain(next.fingerprint);
    tokens.invalidate(next);
    await expect.poll(() => page.locator('#token-events li').first().getAttribute('data-type')).toBe('invalidated');
    await tokens.getToken();
    await expect.poll(() => page.locator('#token-events li').first().getAttribute('data-type')).toBe('acquired');

    const html = await page.content();
    for (const token of [first, next, await tokens.getToken()]) expect(html).not.toContain(token.accessToken);
    expect(violations).toEqual([]);
    expect(failures).toEqual([]);
    await page.close();
  });

  it('with the backend down, the shop and the return page say so, and give the buttons back', async () => {
    const { page } = await openPage(900, 640);
    await page.goto(`${sample.origin}/`);
    await expect.poll(() => page.textContent('#total')).toBe('347.00 NOK');
    // The browser gets no answer at all, as when the app is stopped.
    await page.route('**/payments', (route) => route.abort('connectionrefused'));
    await page.click('#pay');
    await expect.poll(() => page.textContent('#error')).toMatch(/^The shop is not answering right now/);
    expect(await page.isEnabled('#pay')).toBe(true);
    await page.unroute('**/payments');

    await payInBrowser(page, 'collector.invoice');
    await page.route('**/payments/*/capture', (route) => route.abort('connectionrefused'));
    await page.click('#capture');
    await expect.poll(() => page.textContent('#result')).toMatch(/^The shop is not answering right now/);
    expect(await page.isEnabled('#capture')).toBe(true);
    expect(await page.textContent('#status')).toBe('AUTHORIZED');
    await page.close();
  });

  it('an operation refused shows words a shopper reads, not API field names', async () => {
    const { page } = await openPage(900, 640);
    await payInBrowser(page, 'collector.invoice');
    await page.check('input[name="line"][value="1"]');
    await page.click('#capture');
    await expect.poll(() => page.textContent('#status')).toBe('PARTIALLY_CAPTURED');
    // The page as a second tab still shows it: capture line 1 again.
    await page.evaluate(
      `(() => { const box = document.querySelector('input[name="line"][value="1"]'); box.disabled = false; box.checked = true; })()`,
    );
    await page.click('#capture');
    await expect.poll(() => page.textContent('#result')).toBe('Wool socks has nothing left to capture.');
    await page.close();
  });

  it("a payment on hold is approved or declined on the fake's page, reached from the return page", async () => {
    for (const [button, heading] of [
      ['#approve', 'Payment authorized'],
      ['#decline', 'Payment declined'],
    ] as const) {
      const { page, failures } = await openPage(900, 640);
      await page.goto(`${sample.origin}/`);
      await page.click('#pay');
      await page.waitForURL(/\/v1\/view\//);
      await page.selectOption('#outcome', 'ON_HOLD');
      await page.click('#pay');
      await page.waitForURL(/\/payments\/return\?transaction_id=/);
      expect(await page.textContent('h1')).toBe('Payment on hold');
      await page.click('#decide a');
      await page.waitForURL(/\/v1\/view\//);
      expect(await page.textContent('h1')).toContain('Payment on hold');
      await page.click(button);
      await page.waitForURL(/\/payments\/return\?/);
      await page.waitForSelector(`h1:text-is("${heading}")`);
      expect(await page.locator('#decide').count()).toBe(0);
      expect(failures).toEqual([]);
      await page.close();
    }
  });

  it('at 375 px the cart lines keep space between their cells', async () => {
    const { page } = await openPage(375, 667);
    await page.goto(`${sample.origin}/`);
    await expect.poll(() => page.textContent('#total')).toBe('347.00 NOK');
    // The text's own extent, not the cell's: text that fills its cell is what runs together.
    const gaps = await page.evaluate<number[]>(`[...document.querySelectorAll('#lines tr')].flatMap((row) => {
      const boxes = [...row.querySelectorAll('td')].map((cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return range.getBoundingClientRect();
      });
      return boxes.slice(1).map((box, index) => box.left - boxes[index].right);
    })`);
    expect(gaps.length).toBeGreaterThan(0);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(8);
    await page.close();
  });

  it('at 375 px the return page fits its card: nothing sticks out', async () => {
    const { page } = await openPage(375, 667);
    await payInBrowser(page, 'collector.invoice');
    const overflow = await page.evaluate<number>(`(() => {
      const card = document.querySelector('main').getBoundingClientRect();
      return Math.max(...[...document.querySelectorAll('main *')].map((element) => element.getBoundingClientRect().right - card.right));
    })()`);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});
