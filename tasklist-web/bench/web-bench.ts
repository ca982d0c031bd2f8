/* eslint-disable no-console -- a benchmark reports on the console */
// Size and time to interactive of the two web apps: each app built for
// production (gzipped JavaScript per entry and in all), then loaded in
// headless Chromium from the portal on localhost, signed in, cache disabled,
// timed from navigation start until the page's content is on screen and
// usable. Median of RUNS loads per page.
import { type Page } from 'playwright-core';
import globalSetup from '../../jest/global-setup';
import globalTeardown from '../../jest/global-teardown';
import { buildWebApps } from '@claims/deploy/src/web/build-web-apps';
import { launchChromium, signIn } from '@claims/deploy/src/testing/browser';
import { LifecycleFixture } from '@claims/workers/src/testing/lifecycle-fixture';

const RUNS = 7;

async function timeToInteractive(page: Page, url: string, ready: string): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await page.goto(url);
    await page.locator(ready).first().waitFor({ timeout: 60_000 });
    times.push(await page.evaluate('performance.now()'));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function main(): Promise<void> {
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  for (const built of await buildWebApps()) {
    const js = built.files.filter((f) => f.file.endsWith('.js'));
    const main = js.filter((f) => !f.file.includes('modeler-page'));
    console.log(`${built.app.folder}: all JavaScript ${kib(js.reduce((s, f) => s + f.gzipBytes, 0))} gzipped (${kib(js.reduce((s, f) => s + f.bytes, 0))} minified)`);
    for (const file of js) console.log(`  ${file.file}: ${kib(file.gzipBytes)} gzipped`);
    if (main.length !== js.length) console.log(`  loaded for the task list (without the modeler): ${kib(main.reduce((s, f) => s + f.gzipBytes, 0))} gzipped`);
  }

  await globalSetup();
  const life = await LifecycleFixture.start('web-bench', { web: true });
  const browser = await launchChromium();
  try {
    const base = life.portal.baseUrl;
    const measure = async (username: string, pages: { name: string; path: string; ready: string }[]) => {
      const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
      await page.goto(`${base}${pages[0]!.path}`);
      await signIn(page, username);
      await page.locator(pages[0]!.ready).first().waitFor({ timeout: 60_000 });
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      for (const target of pages) console.log(`time to interactive, ${target.name}: ${(await timeToInteractive(page, `${base}${target.path}`, target.ready)).toFixed(0)} ms (median of ${RUNS}, cache disabled)`);
    };
    await measure('chloe', [{ name: 'extranet overview', path: '/', ready: '.policy h2' }, { name: 'extranet request form', path: '/claims/new', ready: '.fjs-form-field-textfield input' }]);
    await measure('anna', [{ name: 'staff task list', path: '/staff/', ready: 'main h1' }, { name: 'staff modeler (BPMN, loaded on demand)', path: '/staff/modeler', ready: '.djs-container .djs-element' }]);
  } finally {
    await browser.close();
    await life.stop();
    await globalTeardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
