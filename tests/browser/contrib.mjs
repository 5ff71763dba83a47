// tests/browser/contrib.mjs — community memories' scripts, in a real browser.
//
// Makes a 20-second film with ffmpeg and ingests it as the master of the
// demo work "Doña Helena Palliri", makes an 800×600 page scan of the demo
// document "contract-fstmb-comibol-ateliers-varan", and adds a community
// member. Then, signed in as her in Chromium:
//   1. on the work page, the time-coded note's "Now" buttons are shown
//      (hidden without the player's script); the film is moved to 7 s and
//      "Now" puts that moment in the start field; the note is sent;
//   2. once the note is published (the contrib command, as a moderator
//      would), the work page lays its mark along the timeline at 7/20 of
//      the film's length, and the mark opens the film at that second;
//   3. on the document page, contrib.js shows the chosen page under the
//      region form, and a drag across it fills x,y,w,h in the image's own
//      pixels (whatever size the image is shown at); the note is sent and,
//      published, shows as a region over the page.
// Screenshots go to build/screenshots/.
//
// Run from anywhere: node tests/browser/contrib.mjs (or tests/browser/run.sh).

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BINARY, browserTest, sh } from './lib.mjs';

const WORK = 'dona-helena-palliri';
const DOC = 'contract-fstmb-comibol-ateliers-varan';
const SECONDS = 20;
const PW = 'a long enough password for ana';
let ARCHIVE = '';

// the one contribution of this kind in `contrib list`, by its target
function contribId(kind) {
  const out = sh(BINARY, ['-a', ARCHIVE, 'contrib', 'list']);
  const line = out.split('\n').find((l) => l.split('\t')[2] === kind);
  if (!line) throw new Error(`no ${kind} contribution in contrib list:\n${out}`);
  return line.split('\t')[0];
}

// send FORM and fail with the page's own words when it is refused
async function send(page, form) {
  await Promise.all([page.waitForNavigation(), page.click(`${form} button[type="submit"]`)]);
  const why = page.locator('p.error[role="alert"]');
  if (await why.count()) throw new Error(`${form} refused: ${(await why.first().textContent()).trim()}`);
}

function close(actual, wanted, slack, what) {
  if (!(Math.abs(actual - wanted) <= slack)) throw new Error(`${what}: ${actual}, expected about ${wanted}`);
}

await browserTest('contrib', {
  setup(archive, tmp) {
    ARCHIVE = archive;
    const master = path.join(tmp, 'helena.mkv');
    sh('ffmpeg', ['-loglevel', 'error', '-nostdin', '-y',
      '-f', 'lavfi', '-i', `testsrc=size=640x360:rate=25:duration=${SECONDS}`,
      '-f', 'lavfi', '-i', `sine=frequency=440:duration=${SECONDS}`,
      '-c:v', 'ffv1', '-c:a', 'flac', master]);
    sh(BINARY, ['-a', archive, 'ingest', '--to', WORK, '--role', 'master', master]);
    const scan = path.join(tmp, 'page-1.jpg');
    sh('ffmpeg', ['-loglevel', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i',
      'testsrc=size=800x600:rate=1:duration=1', '-frames:v', '1', scan]);
    sh(BINARY, ['-a', archive, 'ingest', '--to', DOC, '--role', 'scan', scan]);
    const add = spawnSync(BINARY, ['-a', archive, 'user', 'add', 'ana', '--role', 'community',
      '--password-stdin'], { input: `${PW}\n`, encoding: 'utf8' });
    if (add.status !== 0) throw new Error(`user add failed: ${add.stdout}${add.stderr}`);
  },
  async run({ base, page, shots }) {
    await page.goto(`${base}/login`);
    await page.fill('input[name="name"]', 'ana');
    await page.fill('input[name="password"]', PW);
    await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type="submit"]')]);

    // 1. "Now" takes the player's moment
    await page.goto(`${base}/work/${WORK}`);
    const video = page.locator('video').first();
    await video.evaluate((v) => (v.readyState >= 1 ? null :
      new Promise((r) => v.addEventListener('loadedmetadata', r, { once: true }))));
    await page.locator('form.contrib-time').evaluate((f) => { f.closest('details').open = true; });
    const now = page.locator('form.contrib-time button.now[data-field="start"]');
    if (!(await now.isVisible())) throw new Error('the "Now" button stays hidden with the script');
    await video.evaluate((v) => new Promise((r) => {
      v.addEventListener('seeked', r, { once: true });
      v.currentTime = 7;
    }));
    await now.click();
    const start = await page.inputValue('form.contrib-time input[name="start"]');
    if (!/^0:0[67](\.\d)?$/.test(start)) throw new Error(`"Now" at 7 s wrote "${start}"`);
    console.log(`ok: "Now" at 7 s writes ${start}`);
    await page.fill('form.contrib-time textarea[name="body"]', 'Esa es mi tía, Doña Helena');
    await page.fill('form.contrib-time input[name="attribution_text"]', 'Ana M.');
    await send(page, 'form.contrib-time');

    // 2. the published note's mark along the timeline
    sh(BINARY, ['-a', ARCHIVE, 'contrib', 'publish', contribId('time')]);
    await page.goto(`${base}/work/${WORK}`);
    await page.waitForSelector('#marks.laid', { timeout: 10_000 });
    const mark = page.locator('#marks a[data-t]').first();
    const left = await mark.evaluate((a) => parseFloat(a.parentNode.style.left));
    close(left, (7 / SECONDS) * 100, 4, 'the mark\'s place along the timeline (%)');
    const geo = await page.evaluate(() => {
      const m = document.querySelector('#marks').getBoundingClientRect();
      const a = document.querySelector('#marks a[data-t]').parentNode.getBoundingClientRect();
      return { share: (a.left - m.left) / m.width };
    });
    close(geo.share, 7 / SECONDS, 0.05, 'the mark\'s drawn place along the timeline (share)');
    console.log(`ok: the note's mark is drawn at ${left.toFixed(1)} % of the timeline`);
    await page.screenshot({ path: `${shots}/contrib-marks.png`, fullPage: true });
    await mark.click();
    await page.waitForFunction(() => {
      const v = document.querySelector('video');
      return v && Math.abs(v.currentTime - 7) < 1;
    }, null, { timeout: 10_000 });
    console.log('ok: the mark opens the film at its second');

    // 3. a region drawn on the page image
    await page.goto(`${base}/document/${DOC}`);
    await page.locator('form.contrib-region').evaluate((f) => { f.closest('details').open = true; });
    const img = page.locator('form.contrib-region ~ .draw img, .draw img').first();
    await img.evaluate((i) => (i.complete && i.naturalWidth ? null :
      new Promise((r, j) => { i.addEventListener('load', r, { once: true }); i.addEventListener('error', j, { once: true }); })));
    await img.scrollIntoViewIfNeeded();
    const box = await img.boundingBox();
    if (!box || box.width < 50) throw new Error('the page image is not shown under the region form');
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.1);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.25, { steps: 4 });
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4, { steps: 4 });
    await page.mouse.up();
    const xywh = (await page.inputValue('form.contrib-region input[name="xywh"]')).split(',').map(Number);
    if (xywh.length !== 4) throw new Error(`the drag wrote "${xywh}" in x,y,w,h`);
    const slack = 800 / box.width * 3 + 2;   // three screen pixels, in the image's
    close(xywh[0], 80, slack, 'x'); close(xywh[1], 60, slack, 'y');
    close(xywh[2], 320, slack, 'w'); close(xywh[3], 180, slack, 'h');
    console.log(`ok: a drag over the page shown ${Math.round(box.width)} px wide gives ${xywh} in the image's pixels`);
    await page.fill('form.contrib-region textarea[name="body"]', 'La firma del sindicato');
    await page.fill('form.contrib-region input[name="attribution_text"]', 'Ana M.');
    await send(page, 'form.contrib-region');
    sh(BINARY, ['-a', ARCHIVE, 'contrib', 'publish', contribId('region')]);
    await page.goto(`${base}/document/${DOC}`);
    const rects = await page.locator('svg rect').count();
    if (rects < 1) throw new Error('the published region note is not drawn over its page');
    await page.screenshot({ path: `${shots}/contrib-region.png`, fullPage: true });
    console.log(`ok: the published region is drawn over its page (${rects} rectangle)`);
  },
});
