// tests/browser/search.mjs — a person's search, in a real browser.
//
// Opens the home page of a fresh demo archive, types "palliri" into the
// search box, submits, clicks the first result and checks that the page's
// h1 is "Doña Helena Palliri". Screenshots of the results (at desktop and
// phone width) and of the work page go to build/screenshots/.
//
// Run from anywhere: node tests/browser/search.mjs (or tests/browser/run.sh).

import { browserTest } from './lib.mjs';

const QUERY = 'palliri';
const EXPECTED_H1 = 'Doña Helena Palliri';

await browserTest('search', {
  async run({ base, page, shots }) {
    await page.goto(base + '/');
    const box = page.locator('form[action="/search"] input[name="q"]');
    await box.fill(QUERY);
    await Promise.all([page.waitForURL(/\/search\?/), box.press('Enter')]);

    const first = page.locator('ol.results > li').first().locator('a').first();
    if (await first.count() === 0) throw new Error(`no results for "${QUERY}" at ${page.url()}`);
    await page.screenshot({ path: `${shots}/search.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${shots}/search-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });

    const href = await first.getAttribute('href');
    await Promise.all([page.waitForURL((u) => u.pathname === href), first.click()]);
    const h1 = (await page.locator('h1').first().textContent() ?? '').trim();
    await page.screenshot({ path: `${shots}/work.png`, fullPage: true });
    if (!h1.includes(EXPECTED_H1)) {
      throw new Error(`first result ${href}: h1 is "${h1}", expected "${EXPECTED_H1}"`);
    }
    console.log(`ok: "${QUERY}" -> ${href} -> h1 "${h1}"`);
  },
});
