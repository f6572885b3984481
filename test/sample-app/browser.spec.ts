import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { type SampleApp, startSampleApp } from './sample-app.harness.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`SKIPPED: the browser test needs Debian's chromium at ${CHROMIUM} (apt-get install chromium)`);
// UPDATE_SCREENSHOTS=1 npm test refreshes the pictures the README shows.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS ? fileURLToPath(new URL('../../docs/images/', import.meta.url)) : undefined;

let sample: SampleApp;
let browser: Browser;
let origin: string;


describe.skipIf(!available)('the shop page in a real browser', () => {
  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    process.env.PUBLIC_URL = origin;
    sample = await startSampleApp();
    delete process.env.PUBLIC_URL;
    await sample.app.listen(port, '127.0.0.1');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await sample?.app.close();
  });

  it('pays on the fake checkout, comes back, captures and refunds', async () => {
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 900, height: 640 } });
    await page.goto(`${origin}/`);
    await expect.poll(() => page.textContent('#total')).toBe('347.00 NOK');
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}shop.png` });

    await page.click('#pay');
    await page.waitForURL(/\/v1\/view\//);
    expect(await page.textContent('main')).toContain('Wool socks');
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}fake-checkout.png` });

    await page.click('#pay');
    await page.waitForURL(/\/payments\/return\?transaction_id=/);
    expect(await page.textContent('#status')).toBe('AUTHORIZED');

    await page.click('#capture');
    await expect.poll(() => page.textContent('#status')).toBe('CAPTURED');
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}return.png` });
    await page.click('#refund');
    await expect.poll(() => page.textContent('#status')).toBe('REFUNDED');
    expect(await page.textContent('#refunded')).toBe('347.00 NOK');
    await page.close();
  });
});
