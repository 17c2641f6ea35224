// Browser tests of the web UI against a real `tilsyn serve` (see harness.mjs): each role's pages,
// the drill-down from a rate to one case, XLSX export, what a committee user can and cannot
// reach, axe-core on every page, and a screenshot of each page in build/web-artefacts/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import readXlsxFile from 'read-excel-file/node';
import { AS_OF, axe, childIds, login, newPage, pageText, PASSWORD, screenshot, settled, startWorld, USERS, visit } from './harness.mjs';

/** A page must be usable within this many ms (issue #6; the example municipality is small). */
const PAGE_BUDGET_MS = 1000;
const timings = {};

let world;
before(async () => {
  world = await startWorld();
});
after(async () => {
  if (Object.keys(timings).length) console.log(`page times (ms): ${JSON.stringify(timings)}`);
  await world?.stop();
});

/** The sheets of a downloaded workbook: [{sheet: name, data: rows}]. */
async function workbook(download) {
  return readXlsxFile(await download.path());
}

async function checkAxe(page, name) {
  const { passes, violations } = await axe(page);
  assert.ok(passes > 10, `axe ran only ${passes} checks on ${name}`);
  assert.deepEqual(violations, [], `axe violations on ${name}: ${JSON.stringify(violations, null, 1)}`);
}

async function timed(page, name, path) {
  const ms = await visit(page, world, path);
  timings[name] = ms;
  assert.ok(ms < PAGE_BUDGET_MS, `${name} took ${ms} ms`);
  return ms;
}

describe('Log ind', () => {
  it('shows the form, refuses a wrong password in Danish, and passes axe', async () => {
    const page = await newPage(world);
    await page.goto(`${world.base}/mine-sager`);
    await settled(page);
    assert.equal(new URL(page.url()).pathname, '/mine-sager');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Log ind');
    await checkAxe(page, 'Log ind');
    await screenshot(page, 'log-ind');
    await page.getByLabel('Brugernavn', { exact: true }).fill(USERS.worker.login);
    await page.getByLabel('Adgangskode', { exact: true }).fill('forkert-adgangskode');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').textContent(), /Forkert brugernavn eller adgangskode/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});

describe('caseworker', () => {
  let page;
  before(async () => {
    page = await newPage(world);
    await login(page, world, 'worker');
  });
  after(() => page.context().close());

  it('lands on Mine sager: overdue first, each with its next step and deadline', async () => {
    assert.equal(new URL(page.url()).pathname, '/mine-sager');
    await timed(page, 'Mine sager', `/mine-sager?as_of=${AS_OF}`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Mine sager');
    const rows = page.locator('table tbody tr');
    const n = await rows.count();
    assert.ok(n >= 3, `${n} rows`);
    const statuses = await rows.locator('td:nth-child(5)').allTextContents();
    const firstNotOverdue = statuses.findIndex((s) => !s.startsWith('Overskredet'));
    assert.ok(firstNotOverdue > 0, `overdue first: ${statuses}`);
    assert.ok(statuses.slice(firstNotOverdue).every((s) => !s.startsWith('Overskredet')), `overdue first: ${statuses}`);
    // Dates in Danish ("2. jul. 2024").
    assert.match(await rows.first().locator('td:nth-child(4)').textContent(), /^\d{1,2}\. [a-zæøå]{3}\.? \d{4}/);
    await checkAxe(page, 'Mine sager');
    await screenshot(page, 'mine-sager');
  });

  it('filters to the overdue and keeps the filter in the URL', async () => {
    const all = await page.locator('table tbody tr').count();
    await page.getByLabel('Vis', { exact: true }).selectOption('overdue');
    const overdue = await page.locator('table tbody tr').count();
    assert.ok(overdue > 0 && overdue < all, `${overdue} of ${all}`);
    assert.match(page.url(), /vis=overdue/);
    await page.reload();
    await settled(page);
    assert.equal(await page.locator('table tbody tr').count(), overdue);
    await page.getByLabel('Vis', { exact: true }).selectOption('all');
  });

  it("shows the rule's Danish name and legal reference in the detail pane", async () => {
    const button = page.locator('table tbody tr').first().locator('td:nth-child(3) button');
    const title = await button.getAttribute('title');
    assert.match(title, /§/);
    await button.click();
    const pane = page.locator('aside.detail');
    await pane.getByText('Lovhjemmel').waitFor();
    assert.match(await pane.textContent(), /(SEL|BL) §/);
    assert.match(await pane.textContent(), /Næste skridt/);
    await checkAxe(page, 'Mine sager, detaljer');
  });

  it('opens a case: its timeline of events and deadlines', async () => {
    const child = (await page.locator('table tbody tr').first().locator('th a').textContent()).trim();
    await page.locator('table tbody tr').first().locator('th a').click();
    await settled(page);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), `Sag: barn ${child}`);
    assert.ok((await page.locator('ol.timeline li.tl-event').count()) > 0);
    assert.ok((await page.locator('ol.timeline li.tl-deadline').count()) > 0);
    timings.Sag = await visit(page, world, `/sag/${child}?as_of=${AS_OF}`);
    assert.ok(timings.Sag < PAGE_BUDGET_MS);
    await checkAxe(page, 'Sag');
    await screenshot(page, 'sag');
  });

  it("exports the worklist to XLSX with one row per open step", async () => {
    await visit(page, world, `/mine-sager?as_of=${AS_OF}`);
    const rows = await page.locator('table tbody tr').count();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /arbejdslisten som Excel/ }).click()]);
    const [{ data: sheet }] = await workbook(download);
    assert.equal(sheet.length, rows + 1);
    assert.equal(sheet[0][0], 'Frist');
  });

  it('works from the keyboard: a skip link first, focus on the new page’s heading, filters by keys', async () => {
    await visit(page, world, `/mine-sager?as_of=${AS_OF}`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Gå til indhold');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
    // The first link in the table, reached and followed with keys only.
    const link = page.locator('table tbody tr th a').first();
    await link.focus();
    const child = (await link.textContent()).trim();
    await page.keyboard.press('Enter');
    await settled(page);
    assert.equal(await page.evaluate(() => document.activeElement.tagName + ' ' + document.activeElement.textContent), `H1 Sag: barn ${child}`);
    await page.goBack();
    await settled(page);
    await page.getByLabel('Vis', { exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    assert.match(page.url(), /vis=overdue/);
  });

  it('makes a calendar feed for Outlook, shows its address once, and revokes it', async () => {
    await visit(page, world, `/mine-sager?as_of=${AS_OF}`);
    const panel = page.locator('section.calendar');
    await panel.getByText('Du har intet aktivt abonnement.').waitFor();
    await panel.getByRole('button', { name: 'Lav kalenderadresse' }).click();
    const address = panel.getByLabel('Din kalenderadresse (vises kun nu)');
    await address.waitFor();
    const url = await address.inputValue();
    assert.match(url, new RegExp(`^${world.base}/calendar/[^/]+\\.ics$`));
    // The feed needs no session: the token is the credential. One event per open deadline (as of
    // today, as the worklist without a date).
    const feed = await fetch(url);
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get('content-type'), /^text\/calendar/);
    const ics = await feed.text();
    assert.match(ics, /^BEGIN:VCALENDAR/);
    const open = await page.evaluate(async (w) => (await (await fetch(`/api/workers/${w}/worklist`)).json()).items.length, USERS.worker.worker);
    assert.equal((ics.match(/BEGIN:VEVENT/g) ?? []).length, open);
    await checkAxe(page, 'Mine sager, kalender');
    await screenshot(page, 'mine-sager-kalender');
    // Shown once: a new visit tells that there is one, not its address.
    await visit(page, world, `/mine-sager?as_of=${AS_OF}`);
    await panel.getByText(/Du har et aktivt abonnement/).waitFor();
    assert.equal(await panel.locator('input').count(), 0);
    await panel.getByRole('button', { name: 'Tilbagekald abonnementet' }).click();
    await panel.getByText('Du har intet aktivt abonnement.').waitFor();
    assert.equal((await fetch(url)).status, 404);
  });

  it('is refused another unit’s case by the API', async () => {
    const status = await page.evaluate(async () => (await fetch('/api/children/B003')).status);
    assert.equal(status, 403);
    assert.deepEqual(page.errors, []);
  });
});

describe('leader', () => {
  let page;
  before(async () => {
    page = await newPage(world);
    await login(page, world, 'leader');
  });
  after(() => page.context().close());

  it('lands on Overblik: rates with the national figure, the trend chart with its table, caseworkers', async () => {
    assert.equal(new URL(page.url()).pathname, '/overblik');
    await timed(page, 'Overblik', `/overblik?as_of=${AS_OF}`);
    assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /^Overblik: Distrikt Nord/);
    const rates = page.locator('section[aria-labelledby=rates-heading] table');
    assert.ok((await rates.locator('tbody tr').count()) >= 10);
    assert.match(await rates.textContent(), /Landstal/);
    assert.match(await rates.textContent(), /\d+ % \(20\d\d/);
    const canvas = page.locator('canvas[role=img]');
    assert.match(await canvas.getAttribute('aria-label'), /Linjediagram/);
    assert.equal(await page.locator('section[aria-labelledby=trend-heading] table tbody tr').count(), 8);
    const workers = page.locator('section[aria-labelledby=workers-heading] table');
    assert.match(await workers.textContent(), /Sagstal/);
    assert.match(await workers.textContent(), /Anne Marie Holm/);
    await checkAxe(page, 'Overblik');
    await screenshot(page, 'overblik');
  });

  it('clicks a rate down to the obligations behind it, and on to one case', async () => {
    const row = page.locator('section[aria-labelledby=rates-heading] table tbody tr').filter({ has: page.locator('td:nth-child(2) a') }).first();
    const measured = (await row.locator('td:nth-child(8)').textContent()).trim();
    await row.locator('td:nth-child(2) a').click();
    await settled(page);
    assert.equal(new URL(page.url()).pathname, '/overblik/sager');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sager bag tallet');
    const total = await page.locator('[data-total]').getAttribute('data-total');
    assert.equal(total, measured, 'the list holds exactly the obligations the rate is measured on');
    assert.equal(await page.locator('table tbody tr').count(), Number(total));
    await checkAxe(page, 'Sager bag tallet');
    await screenshot(page, 'sager-bag-tallet');
    timings['Sager bag tallet'] = await visit(page, world, new URL(page.url()).pathname + new URL(page.url()).search);

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-export]').first().click()]);
    const [{ data: sheet }] = await workbook(download);
    assert.equal(sheet.length, Number(total) + 1, 'the export holds every row behind the figure, and a header');
    assert.equal(sheet[0][0], 'Krav');

    const child = (await page.locator('table tbody tr').first().locator('th a').textContent()).trim();
    await page.locator('table tbody tr').first().locator('th a').click();
    await settled(page);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), `Sag: barn ${child}`);
  });

  it('clicks a caseworker’s figure, and the one for obligations without a caseworker, down to their lists', async () => {
    for (const who of ['Sofie Lund Jensen', 'Uden rådgiver']) {
      await visit(page, world, `/overblik?as_of=${AS_OF}`);
      const row = page.locator('section[aria-labelledby=workers-heading] tbody tr', { hasText: who });
      const measured = (await row.locator('td:nth-child(10)').textContent()).trim();
      await row.locator('td:nth-child(10) a').click();
      await settled(page);
      assert.equal(await page.locator('[data-total]').getAttribute('data-total'), measured, who);
      const workers = await page.locator('table tbody tr td:nth-child(6)').allTextContents();
      assert.ok(workers.every((w) => w === (who === 'Uden rådgiver' ? '–' : who)), `${who}: ${workers}`);
    }
  });

  it('exports the rates table to XLSX: one row per rule, and a sheet per caseworker split', async () => {
    await visit(page, world, `/overblik?as_of=${AS_OF}`);
    const rules = await page.locator('section[aria-labelledby=rates-heading] table tbody tr').count();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Hent tabellen som Excel (XLSX)' }).click()]);
    const sheets = await workbook(download);
    assert.equal(sheets.length, 2, `sheets: ${sheets.map((s) => s.sheet)}`);
    const sheet = sheets[0].data;
    assert.equal(sheet.length, rules + 1);
    assert.equal(sheet[0][0], 'Krav');
    const ruleNames = await page.locator('section[aria-labelledby=rates-heading] table tbody th').allTextContents();
    assert.deepEqual(sheet.slice(1).map((r) => r[0]), ruleNames);
  });

  it('changes unit and period with the pickers; the state is in the URL', async () => {
    await page.getByLabel('Enhed', { exact: true }).selectOption('T06');
    await page.getByLabel('Periode', { exact: true }).selectOption({ label: 'K2 2025' });
    await page.getByRole('button', { name: 'Vis' }).click();
    await settled(page);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('unit'), 'T06');
    assert.equal(url.searchParams.get('from'), '2025-04-01');
    assert.equal(url.searchParams.get('to'), '2025-06-30');
    assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /Team 0–6 år/);
    assert.deepEqual(page.errors, []);
  });
});

describe('committee', () => {
  let page;
  const children = childIds();
  before(async () => {
    page = await newPage(world);
    await login(page, world, 'committee');
  });
  after(() => page.context().close());

  function assertNoChild(text, where) {
    const found = children.filter((id) => new RegExp(`\\b${id}\\b`).test(text));
    assert.deepEqual(found, [], `child ids on ${where}`);
  }

  it('sees figures only, suppressed, and no child on any page it can reach', async () => {
    await timed(page, 'Overblik (udvalg)', `/overblik?as_of=${AS_OF}`);
    assert.match(await page.textContent('main'), /skjult/);
    assert.equal(await page.locator('section[aria-labelledby=workers-heading]').count(), 0);
    assert.equal(await page.locator('main a[href^="/overblik/sager"], main a[href^="/sag/"]').count(), 0, 'no links to cases');
    await checkAxe(page, 'Overblik (udvalg)');
    await screenshot(page, 'overblik-udvalg');
    // Every page reachable from here: the menu's links, each trend rule, and each period.
    const seen = new Set();
    const queue = [`/overblik?as_of=${AS_OF}`];
    while (queue.length && seen.size < 30) {
      const next = queue.shift();
      if (seen.has(next)) continue;
      seen.add(next);
      await visit(page, world, next);
      assertNoChild(await pageText(page), next);
      for (const href of await page.locator('a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
        if (!href.startsWith('/api/') && !seen.has(href)) queue.push(href);
      }
    }
    for (const rule of await page.getByLabel('Krav', { exact: true }).locator('option').evaluateAll((os) => os.map((o) => o.value))) {
      await page.getByLabel('Krav', { exact: true }).selectOption(rule);
      assertNoChild(await pageText(page), `trend ${rule}`);
    }
    // Nor in the files it can export.
    for (const link of await page.locator('a[data-export]').all()) {
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      for (const { sheet, data } of await workbook(download)) assertNoChild(JSON.stringify(data), `export ${sheet}`);
    }
  });

  it('is shown no case by a typed-in address, and the API refuses every named list', async () => {
    await visit(page, world, '/sag/B001');
    assert.match(await page.textContent('main'), /ikke adgang/);
    await visit(page, world, '/overblik/sager?unit=M1&status=all');
    assert.match(await page.textContent('main'), /ikke adgang/);
    await visit(page, world, '/mine-sager?worker=W03');
    const statuses = await page.evaluate(async () => {
      const paths = ['/api/children/B001', '/api/obligations', '/api/obligations?format=xlsx', '/api/workers/W03/worklist', '/api/caseloads', '/api/units/M1/workers', '/api/rates?by_worker=true&unit=M1'];
      const out = {};
      for (const p of paths) {
        const r = await fetch(p);
        out[p] = r.status === 200 ? (await r.text()).slice(0, 20000) : r.status;
      }
      return out;
    });
    for (const [p, status] of Object.entries(statuses)) {
      if (typeof status === 'number') assert.equal(status, 403, p);
      else assertNoChild(status, p);
    }
    assert.equal(statuses['/api/children/B001'], 403);
    assert.equal(statuses['/api/obligations'], 403);
    assert.deepEqual(page.errors, []);
  });
});

describe('administrator', () => {
  let page;
  before(async () => {
    page = await newPage(world);
    await login(page, world, 'admin');
  });
  after(() => page.context().close());

  it('sees users and roles and the audit log, with the case reads of the tests before', async () => {
    assert.equal(new URL(page.url()).pathname, '/administration');
    await timed(page, 'Administration', '/administration');
    const users = page.locator('section[aria-labelledby=users-heading] table');
    await users.waitFor();
    for (const u of Object.values(USERS)) assert.match(await users.textContent(), new RegExp(u.login));
    const audit = page.locator('section[aria-labelledby=audit-heading] table');
    assert.match(await audit.textContent(), /Læste en sag/);
    await checkAxe(page, 'Administration');
    await screenshot(page, 'administration');
  });

  it('adds a user and disables one', async () => {
    await page.getByLabel('Brugernavn', { exact: true }).fill('ny-raadgiver');
    await page.getByLabel('Navn', { exact: true }).fill('Ny Rådgiver');
    await page.getByLabel('Rolle', { exact: true }).selectOption('worker');
    await page.getByLabel('Enhed', { exact: true }).selectOption('T713');
    await page.getByLabel('Rådgiver-id', { exact: true }).fill('W05');
    await page.getByLabel('Adgangskode', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Opret bruger' }).click();
    await page.getByText('Brugeren ny-raadgiver er oprettet.').waitFor();
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'Spær ny-raadgiver' }).click();
    await page.locator('section[aria-labelledby=users-heading] tr', { hasText: 'ny-raadgiver' }).getByText('Spærret').waitFor();
    assert.deepEqual(page.errors, []);
  });
});
