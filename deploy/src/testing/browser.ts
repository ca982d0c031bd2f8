import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPOSITORY_ROOT } from '../settings';

/** Where browser tests leave a picture of each main screen for people to look at (git-ignored). */
export const SCREENSHOTS_DIR = path.join(REPOSITORY_ROOT, 'screenshots');

/** Debian's `chromium` package (installed by .ci/run), or the one CHROMIUM_PATH names. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`No Chromium found (tried ${candidates.join(', ')}). Install Debian's "chromium" package or set CHROMIUM_PATH.`);
  return found;
}

export async function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** A person's own browser: separate cookies and storage, a desktop or phone-sized window. */
export async function personContext(browser: Browser, size: 'desktop' | 'phone' = 'desktop'): Promise<BrowserContext> {
  const context = await browser.newContext(size === 'phone' ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } : { viewport: { width: 1400, height: 1000 } });
  context.setDefaultTimeout(30_000);
  return context;
}

/** Signs in on the issuer's page the app sent the browser to. */
export async function signIn(page: Page, username: string, password = 'demo'): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}
