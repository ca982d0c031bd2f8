import { type Browser } from 'playwright-core';
import { createLogger } from '../logger';
import { launchChromium, personContext, screenshot } from '../testing/browser';
import { sendSms, sendTaskMail, TASK_LINK } from '../testing/outbox-messages';
import { Outbox } from './outbox-server';

// A newcomer on a phone reads the outbox in Debian's Chromium: the list fits
// the screen, the task email opens, its link opens the task in a new tab, the
// mail's own script never runs, and the browser console stays clean.

describe('the outbox web view in a browser', () => {
  let browser: Browser;
  let outbox: Outbox;

  beforeAll(async () => {
    browser = await launchChromium();
    outbox = new Outbox({ smtpPort: 0, apiPort: 0, logger: createLogger('outbox', { LOG_LEVEL: 'warn' }) });
    await outbox.start();
  });

  afterAll(async () => {
    await outbox?.stop();
    await browser?.close();
  });

  it('opens a task from its email on a phone, with no console errors', async () => {
    await sendTaskMail(outbox);
    await sendSms(outbox, `Your claim is under review: ${TASK_LINK}`);
    const context = await personContext(browser, 'phone');
    // The staff app is not running here: answer the task link with a stand-in page.
    await context.route(`${new URL(TASK_LINK).origin}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Task</title><link rel="icon" href="data:,">Task' }));
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

    await page.goto(`http://127.0.0.1:${outbox.apiPort}/`);
    await page.getByRole('heading', { name: 'Mail (1)' }).waitFor();
    await page.getByText('Your claim is under review').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await screenshot(page, 'outbox-phone');

    await page.getByRole('link', { name: /New task: Assess claim CLM-1/ }).click();
    await page.getByRole('heading', { name: 'New task: Assess claim CLM-1' }).waitFor();
    const mail = page.frameLocator('iframe[title="The message as sent"]');
    const taskLink = mail.getByRole('link', { name: 'Open the task' });
    expect(await taskLink.getAttribute('href')).toBe(TASK_LINK);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await screenshot(page, 'outbox-message-phone');

    // The link opens in a new tab out of the sandboxed frame: its target resolves to _blank and the frame
    // lets popups escape the sandbox. (Headless Chromium's popup from a sandboxed srcdoc frame is not
    // reliable enough to click in a test: it opened no page in about half the runs here.)
    expect(await taskLink.evaluate((link) => {
      const anchor = link as unknown as { target: string; ownerDocument: { querySelector(selector: string): { target: string } | null } };
      return anchor.target || anchor.ownerDocument.querySelector('base')?.target;
    })).toBe('_blank');
    expect(await page.locator('iframe[title="The message as sent"]').getAttribute('sandbox')).toContain('allow-popups-to-escape-sandbox');
    const task = await context.newPage();
    await task.goto(TASK_LINK);
    await task.waitForLoadState();
    expect(task.url()).toBe(TASK_LINK);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps a hostile mail inert: its script and onerror never run', async () => {
    await sendTaskMail(outbox, 'Hostile', { hostile: true });
    const context = await personContext(browser, 'desktop');
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`http://127.0.0.1:${outbox.apiPort}/view/${outbox.mails[0]!.ID}`);
    await page.frameLocator('iframe[title="The message as sent"]').getByRole('link', { name: 'Open the task' }).waitFor();
    expect(await page.title()).toBe('Hostile · Claims outbox');
    // What the console reports is the browser refusing, nothing else.
    for (const problem of problems) expect(problem).toMatch(/Blocked script execution in 'about:srcdoc'|violates the following Content Security Policy directive/);
    await context.close();
  });
});

