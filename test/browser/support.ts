import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { SignJWT } from 'jose';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsoleSessions, consoleSessionKey, SESSION_COOKIE } from '../../apps/control-plane/src/console/console-sessions';
import type { BrowserTestServerInfo } from './server';

export const DOCS = join(__dirname, '..', '..', 'docs', 'console');

export function server(): BrowserTestServerInfo {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'dist', 'browser-server.json'), 'utf8')) as BrowserTestServerInfo;
}

/** A partner token as the panel signs it. */
export async function panelToken(partnerId: string, name?: string): Promise<string> {
  return new SignJWT({ partner_id: partnerId, ...(name ? { partner_name: name } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`panel-user-of-${partnerId}`)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(server().jwtSecret));
}

/** Calls the API as the panel would (bearer token). */
export async function apiCall<T = Record<string, unknown>>(partnerId: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(server().baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${await panelToken(partnerId)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The panel's hand-over: a one-time code for the partner, opened in the browser. */
export async function signIn(page: Page, partnerId: string, name?: string): Promise<void> {
  const response = await fetch(`${server().baseUrl}/auth/console-codes`, { method: 'POST', headers: { authorization: `Bearer ${await panelToken(partnerId, name)}`, 'content-type': 'application/json' }, body: '{}' });
  const { url } = (await response.json()) as { url: string };
  await page.goto(url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

/** A session cookie that expired a minute ago, signed with the server's key. */
export async function expiredSessionCookie(partnerId: string): Promise<{ name: string; value: string; url: string }> {
  const sessions = new ConsoleSessions(consoleSessionKey(Buffer.from(server().encryptionKeyHex, 'hex')));
  const { token } = await sessions.issue({ kind: 'partner', subject: 'test', partnerId }, 60, Date.now() - 3_600_000);
  return { name: SESSION_COOKIE, value: token, url: server().baseUrl };
}

export async function sim<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(server().simUrl + path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  if (!response.ok) throw new Error(`sim ${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** No serious or critical axe violation on the page as it is now. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
}

/** A screenshot for the README, under docs/console/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)'); // the top of the screen: its title and what it says first
  await page.screenshot({ path: join(DOCS, `${name}.png`), fullPage: false });
}
