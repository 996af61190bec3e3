/**
 * `npm run bench:console [-- --accounts 10000 --searches 50 --loads 10]`: the console's mapping page
 * with many accounts, measured in Chromium (Debian's, as the browser tests use):
 *
 * - first page visible: from the start of navigation to the first account row on screen (the
 *   browser's performance.now(), which counts from navigation start), over --loads fresh page loads;
 * - search: from the last keystroke (an `input` event's time) to the table showing that search's
 *   rows (the table's data-query), over --searches searches typed with the keyboard; this includes the
 *   page's 120 ms typing pause;
 * - the console's JavaScript size, gzipped.
 *
 * Starts test/browser/server.js with CWX_CONSOLE_BENCH_ACCOUNTS (the accounts are read from the
 * platform before the first measurement). Prints medians and p95.
 */
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SignJWT } from 'jose';

const ROOT = join(__dirname, '..', '..', '..');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

const fmt = (values: number[]) => `median ${quantile(values, 0.5).toFixed(0)} ms, p95 ${quantile(values, 0.95).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms (n=${values.length})`;

async function main(): Promise<void> {
  const accounts = arg('accounts', 10_000);
  const searches = arg('searches', 50);
  const loads = arg('loads', 10);
  const infoFile = join(ROOT, 'dist', 'bench-console-server.json');
  rmSync(infoFile, { force: true });
  const started = Date.now();
  const server = spawn(process.execPath, [join(ROOT, 'dist', 'test', 'browser', 'server.js'), infoFile], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CWX_CONSOLE_BENCH_ACCOUNTS: String(accounts), API_RATE_LIMIT_PER_SECOND: '1000', API_RATE_LIMIT_PER_MINUTE: '100000' },
  });
  try {
    while (!existsSync(infoFile)) {
      if (server.exitCode !== null) throw new Error('the server exited');
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(`server with ${accounts} accounts ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const info = JSON.parse(readFileSync(infoFile, 'utf8')) as { baseUrl: string; jwtSecret: string; partners: Record<string, { name: string }> };
    const names = Object.values(info.partners).length ? await accountNames(info) : [];

    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
    // The page's CSP forbids eval; the measuring code below is evaluated from strings, so the bench context bypasses it.
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, bypassCSP: true });
    const token = await panelToken(info, 'bench-partner');
    const { url } = (await (await fetch(`${info.baseUrl}/auth/console-codes`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })).json()) as { url: string };
    const first = await context.newPage();
    await first.goto(url);
    await first.getByRole('navigation', { name: 'Main' }).waitFor();
    await first.close();

    // First page visible, on fresh page loads of the mapping page (the session cookie is set).
    const firstPage: number[] = [];
    for (let i = 0; i < loads + 1; i++) {
      const page = await context.newPage();
      await page.goto(`${info.baseUrl}/console/#/mapping`);
      await page.locator('tbody tr[data-account]').first().waitFor();
      const ms = await page.evaluate('performance.now()');
      if (i > 0) firstPage.push(Number(ms)); // the first load warms the server's prepared statements
      await page.close();
    }

    // Searches typed with the keyboard; the time from the last keystroke to the table showing them.
    const page = await context.newPage();
    await page.goto(`${info.baseUrl}/console/#/mapping`);
    await page.locator('tbody tr[data-account]').first().waitFor();
    await page.getByRole('tab', { name: /All/ }).click();
    const search = page.getByLabel('Search accounts');
    const terms = searchTerms(names, searches);
    const searchMs: number[] = [];
    let hits = 0;
    for (const term of terms) {
      await search.fill('');
      // In-page code as strings: this file is compiled without the DOM's types.
      await page.waitForFunction("document.querySelector('table.grid')?.getAttribute('data-query') === '' && document.querySelector('table.grid')?.getAttribute('aria-busy') === 'false'");
      await page.evaluate("document.getElementById('account-search').addEventListener('input', () => (window.lastInput = performance.now()))");
      await search.focus();
      await page.keyboard.type(term, { delay: 40 });
      const ms = Number(
        await page.evaluate(`new Promise((resolve) => {
          const check = () => {
            const table = document.querySelector('table.grid');
            if (table && table.getAttribute('data-query') === ${JSON.stringify(term)} && table.getAttribute('aria-busy') === 'false') resolve(performance.now() - window.lastInput);
            else requestAnimationFrame(check);
          };
          check();
        })`),
      );
      hits += await page.locator('tbody tr[data-account]').count();
      searchMs.push(ms);
    }
    await browser.close();

    const assets = join(ROOT, 'dist', 'console', 'assets');
    const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
    const gz = js.reduce((n, f) => n + gzipSync(readFileSync(join(assets, f))).length, 0);
    console.log(`\nconsole mapping page, ${accounts} accounts (Chromium, this machine)`);
    console.log(`  first page visible after navigation  ${fmt(firstPage)}`);
    console.log(`  search results after last keystroke  ${fmt(searchMs)}; ${(hits / terms.length).toFixed(1)} rows shown per search on average`);
    console.log(`  console JavaScript                   ${(gz / 1024).toFixed(1)} kB gzipped (${js.length} file${js.length === 1 ? '' : 's'})`);
  } finally {
    server.kill('SIGTERM');
  }
}

async function panelToken(info: { jwtSecret: string }, partnerId: string): Promise<string> {
  return new SignJWT({ partner_id: partnerId }).setProtectedHeader({ alg: 'HS256' }).setSubject('bench').setIssuedAt().setExpirationTime('30m').sign(new TextEncoder().encode(info.jwtSecret));
}

async function accountNames(info: { baseUrl: string; jwtSecret: string }): Promise<string[]> {
  const token = await panelToken(info, 'bench-partner');
  const response = await fetch(`${info.baseUrl}/partners/bench-partner/accounts?pageSize=500`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { items: { accountName: string }[] }).items.map((i) => i.accountName);
}

/** Search terms a person would type: a word or the start of one from real account names (3–8 letters). */
function searchTerms(names: string[], count: number): string[] {
  const words = names.flatMap((n) => n.split(/\s+/)).filter((w) => /^[A-Za-z]{4,}$/.test(w));
  const terms: string[] = [];
  for (let i = 0; terms.length < count && words.length > 0; i++) {
    const word = words[(i * 7919) % words.length];
    terms.push(word.slice(0, 3 + (i % 6)).toLowerCase());
  }
  return terms;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
