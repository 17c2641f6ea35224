// The browser tests' world: a fresh SQLite store with the example municipality, one user per
// role, `tilsyn serve --web-root web/dist` on a free port, and Debian's Chromium driven by
// playwright-core. Screenshots go to build/web-artefacts/.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const repoDir = path.resolve(webDir, '..');
export const artefacts = path.join(repoDir, 'build', 'web-artefacts');
export const tilsyn = path.resolve(repoDir, process.env.TILSYN_BIN ?? 'build/dev/apps/cli/tilsyn');
export const PASSWORD = 'en-god-adgangskode-1';
/** The example municipality is evaluated as of this day (examples/kommune/README.md). */
export const AS_OF = '2025-06-30';

export const USERS = {
  worker: { login: 'sofie', role: 'worker', unit: 'T06', worker: 'W04', name: 'Sofie Lund Jensen' },
  leader: { login: 'mette', role: 'leader', unit: 'DN', name: 'Mette Kjær Sørensen' },
  committee: { login: 'udvalg', role: 'committee', unit: 'M1', name: 'Børne- og Ungeudvalget' },
  admin: { login: 'admin', role: 'admin', unit: 'M1', name: 'Ada Administrator' },
};

/** Every child id of the example municipality. */
export function childIds() {
  const lines = readFileSync(path.join(repoDir, 'examples/kommune/children.csv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => line.split(',')[0]);
}

function run(args, input) {
  if (!existsSync(tilsyn)) throw new Error(`no tilsyn program at ${tilsyn}: build it (cmake --build --preset dev --target tilsyn) or set TILSYN_BIN`);
  const result = spawnSync(tilsyn, args, { input, encoding: 'utf8', env: { ...process.env, TILSYN_CPR_KEY: 'e2e-test-key-0123456789abcdef' } });
  if (result.status !== 0) throw new Error(`tilsyn ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** Adds a user to the world's store (also while it serves: logins read the store). */
export function addUser(db, u) {
  const args = ['user', 'add', '--db', db, u.login, '--role', u.role, '--unit', u.unit, '--name', u.name];
  if (u.worker) args.push('--worker', u.worker);
  run(args, `${PASSWORD}\n`);
}

/** Writes a synthetic municipality of `children` children (tilsyn generate) into a new folder. */
export function generate(children, seed = 7) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tilsyn-web-data-'));
  run(['generate', '--out', dir, '--children', String(children), '--seed', String(seed)]);
  return dir;
}

/**
 * Starts a world over `data` (default examples/kommune) with `users` (default USERS): `tilsyn
 * serve` on a free port and Chromium.
 */
export async function startWorld({ data = path.join(repoDir, 'examples/kommune'), users = Object.values(USERS) } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tilsyn-web-'));
  const db = path.join(dir, 'kommune.db');
  run(['import', '--db', db, data]);
  for (const u of users) addUser(db, u);
  const server = spawn(tilsyn, ['serve', '--db', db, '--port', '0', '--web-root', path.join(webDir, 'dist')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TILSYN_CPR_KEY: 'e2e-test-key-0123456789abcdef' },
  });
  let log = '';
  server.stderr.on('data', (d) => (log += d));
  const base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`tilsyn serve did not start: ${out}${log}`)), 20000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = /tilsyn serves (http:\/\/\S+?)\/?\s/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`tilsyn serve exited (${code}): ${log}`)));
  });
  mkdirSync(artefacts, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--lang=da-DK', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    base,
    browser,
    db,
    serverLog: () => log,
    async stop() {
      await browser.close();
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new browser context (its own cookies), Danish, with downloads allowed. */
export async function newPage(world) {
  const context = await world.browser.newContext({ locale: 'da-DK', timezoneId: 'Europe/Copenhagen', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  // Script errors and CSP refusals: the tests expect none.
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text());
  });
  page.errors = errors;
  return page;
}

/** Logs in as one of USERS (by role name) or as a given {login}. */
export async function login(page, world, who) {
  await page.goto(`${world.base}/log-ind`);
  await page.getByLabel('Brugernavn').fill(typeof who === 'string' ? USERS[who].login : who.login);
  await page.getByLabel('Adgangskode').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/log-ind'));
  await settled(page);
}

/** Waits until the page has rendered (main is no longer busy). */
export async function settled(page) {
  await page.waitForSelector('main:not([aria-busy])', { timeout: 10000 });
}

/** Goes to a path and returns how long until the page was usable (rendered), in ms. */
export async function visit(page, world, pathAndQuery) {
  const started = Date.now();
  await page.goto(world.base + pathAndQuery);
  await settled(page);
  return Date.now() - started;
}

const axeSource = readFileSync(path.join(webDir, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.0/2.1 A and AA checks on the page as it is: how many passed, and the violations. */
export async function axe(page) {
  // Evaluated through the DevTools protocol: a script tag would be (rightly) refused by the CSP.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return {
      passes: result.passes.length,
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })),
    };
  });
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(artefacts, `${name}.png`), fullPage: true });
}

/** Every text and attribute value of the page, for looking for what must not be there. */
export async function pageText(page) {
  return page.evaluate(() => {
    const parts = [document.title, document.body.innerText, location.href];
    for (const el of document.querySelectorAll('*')) for (const a of el.attributes) parts.push(a.value);
    for (const el of document.querySelectorAll('input, select, textarea')) parts.push(el.value);
    return parts.join('\n');
  });
}
