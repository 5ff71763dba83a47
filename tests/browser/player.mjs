// tests/browser/player.mjs — watching a film, in a real browser.
//
// Makes a 20-second film with ffmpeg (a test pattern and a tone), ingests
// it as the master of the demo work "Doña Helena Palliri" (which makes the
// H.264 access copy, the poster and the contact sheet), adds Spanish
// WebVTT and English SRT subtitles, and then, as a visitor in Chromium:
//   1. searches for a word said only in the film ("cantan") and follows
//      the hit's time link: the film opens at that second;
//   2. sees both subtitle tracks, the page's language showing, its cues
//      loaded;
//   3. plays the film and sees currentTime advance;
//   4. clicks a transcript line: the film moves there, the address says
//      #t=, and the transcript marks that line while it is said;
//   5. clicks a contact-sheet frame, and presses Enter on a transcript
//      line reached with the keyboard: both seek;
//   6. opens the page at #t=16 and ?t=3:00-style moments;
//   7. without JavaScript, a transcript line is a link that opens the film
//      at its moment (the video's address carries #t=).
// Screenshots of the player go to build/screenshots/.
//
// Run from anywhere: node tests/browser/player.mjs (or tests/browser/run.sh).

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BINARY, browserTest, sh } from './lib.mjs';

const WORK = '/work/dona-helena-palliri';
const SECONDS = 20;
const NEAR = 0.6;   // seconds a seek may land from where it was asked (keyframes)

const VTT_ES = `WEBVTT

00:00:01.000 --> 00:00:03.500
Doña Helena Palliri habla de la mina.

00:00:04.000 --> 00:00:06.000
Los mineros de Siglo XX cantan.

00:00:12.000 --> 00:00:15.000
El taller de cine minero llega a Llallagua.
`;
const SRT_EN = `1
00:00:01,000 --> 00:00:03,500
Mrs Helena Palliri talks about the mine.

2
00:00:04,000 --> 00:00:06,000
The miners of Siglo XX sing.

3
00:00:12,000 --> 00:00:15,000
The miners' film workshop reaches Llallagua.
`;

function near(actual, wanted, what) {
  if (!(Math.abs(actual - wanted) <= NEAR)) {
    throw new Error(`${what}: currentTime is ${actual}, expected about ${wanted}`);
  }
}

// the video's state, read in the page
function state(page) {
  return page.evaluate(() => {
    const v = document.getElementById('video');
    return {
      t: v.currentTime, paused: v.paused, ready: v.readyState, error: v.error && v.error.code,
      tracks: Array.from(v.textTracks).map((t) => ({
        lang: t.language, mode: t.mode, cues: t.cues ? t.cues.length : -1,
      })),
      current: document.querySelector('#transcript a[aria-current]')?.dataset.t ?? null,
    };
  });
}

// waitTime(page, wanted): until the video has data at about `wanted` s
async function waitTime(page, wanted, what) {
  try {
    await page.waitForFunction((w) => {
      const v = document.getElementById('video');
      return v && v.readyState >= 2 && !v.seeking && Math.abs(v.currentTime - w) <= 0.6;
    }, wanted);
  } catch {
    const s = await state(page);
    near(s.t, wanted, what);   // throws with the time it did reach
  }
}

await browserTest('player', {
  setup(archive, tmp) {
    const master = path.join(tmp, 'helena.mkv');
    sh('ffmpeg', ['-loglevel', 'error', '-nostdin', '-y',
      '-f', 'lavfi', '-i', `testsrc=size=640x360:rate=25:duration=${SECONDS}`,
      '-f', 'lavfi', '-i', `sine=frequency=440:duration=${SECONDS}`,
      '-c:v', 'ffv1', '-c:a', 'flac', master]);
    sh(BINARY, ['-a', archive, 'ingest', '--to', 'dona-helena-palliri', '--role', 'master', master]);
    writeFileSync(path.join(tmp, 'es.vtt'), VTT_ES);
    writeFileSync(path.join(tmp, 'en.srt'), SRT_EN);
    sh(BINARY, ['-a', archive, 'subtitle', 'dona-helena-palliri', '--lang', 'es', path.join(tmp, 'es.vtt')]);
    sh(BINARY, ['-a', archive, 'subtitle', 'dona-helena-palliri', '--lang', 'en', path.join(tmp, 'en.srt')]);
  },

  async run({ base, page, shots, browser }) {
    // 1. a word said only in the film finds it, at its second
    await page.goto(`${base}/search?q=cantan&lang=es`);
    const hit = page.locator('.cue-hits a').first();
    if (await hit.count() === 0) throw new Error('no line said in a film found for "cantan"');
    const line = (await page.locator('.cue-hits q').first().textContent()) ?? '';
    if (!line.includes('cantan')) throw new Error(`the hit shows "${line}", not the line said`);
    const href = await hit.getAttribute('href');
    if (!href.startsWith(`${WORK}?t=4`)) throw new Error(`the hit links to ${href}, not ${WORK}?t=4`);
    await page.screenshot({ path: `${shots}/search-in-film.png`, fullPage: true });
    await Promise.all([page.waitForURL((u) => u.pathname === WORK), hit.click()]);
    await waitTime(page, 4, 'opened from the search hit at 00:04');
    console.log(`ok: search "cantan" -> ${href} -> the film at 4 s`);

    // 2. both subtitle tracks, Spanish showing (the page is in Spanish)
    await page.waitForFunction(() => {
      const t = Array.from(document.getElementById('video').textTracks).find((x) => x.language === 'es');
      return t && t.mode === 'showing' && t.cues && t.cues.length === 3;
    });
    let s = await state(page);
    const langs = s.tracks.map((t) => t.lang).sort().join(',');
    if (langs !== 'en,es') throw new Error(`tracks are [${langs}], expected en and es`);
    console.log(`ok: tracks ${JSON.stringify(s.tracks)}`);

    // 3. it plays
    await page.evaluate(() => { const v = document.getElementById('video'); v.muted = true; return v.play(); });
    const from = (await state(page)).t;
    await page.waitForFunction((f) => document.getElementById('video').currentTime > f + 1, from);
    s = await state(page);
    if (s.error) throw new Error(`the video reports error ${s.error}`);
    console.log(`ok: playing, currentTime ${from.toFixed(2)} -> ${s.t.toFixed(2)}`);

    // 4. a transcript line seeks, says so in the address, and is marked
    await page.locator('#transcript a[data-t="12"]').click();
    await waitTime(page, 12, 'after clicking the line at 00:12');
    if (!page.url().endsWith('#t=12')) throw new Error(`address is ${page.url()}, expected #t=12`);
    await page.waitForFunction(() => document.querySelector('#transcript a[aria-current]')?.dataset.t === '12');
    await page.screenshot({ path: `${shots}/player.png`, fullPage: false });
    console.log('ok: the line at 00:12 seeks and is marked while said');

    // 5. a frame of the contact sheet seeks; so does Enter on a focused line
    const frame = page.locator('.sheet a').nth(6);
    const ft = parseFloat(await frame.getAttribute('data-t'));
    if (!(ft > 9 && ft < 11)) throw new Error(`frame 7 of 12 is at ${ft} s, expected about 10`);
    await frame.click();
    await waitTime(page, ft, 'after clicking frame 7');
    await page.locator('#transcript a[data-t="1"]').focus();
    await page.keyboard.press('Enter');
    await waitTime(page, 1, 'after Enter on the line at 00:01');
    console.log(`ok: frame at ${ft} s and the keyboard seek`);

    // 6. #t= and ?t= open at a moment
    await page.goto(`${base}${WORK}#t=16`);
    await waitTime(page, 16, 'opened at #t=16');
    await page.goto(`${base}${WORK}?t=0:08`);
    await waitTime(page, 8, 'opened at ?t=0:08');
    console.log('ok: #t=16 and ?t=0:08 open at their moments');

    // 7. without a script, the lines are links to their moment
    const plain = await browser.newContext({ javaScriptEnabled: false });
    try {
      const p2 = await plain.newPage();
      await p2.goto(`${base}${WORK}?lang=en`);
      await Promise.all([p2.waitForURL(/\?t=4#player$/), p2.locator('#transcript a', { hasText: 'sing' }).click()]);
      const src = await p2.locator('#video').getAttribute('src');
      if (!/^\/media\/[0-9a-f-]+#t=4$/.test(src)) throw new Error(`without JavaScript the video is ${src}`);
      const transcriptLang = await p2.locator('#transcript').getAttribute('lang');
      if (transcriptLang !== 'en') throw new Error(`the English page shows the ${transcriptLang} transcript`);
      await p2.setViewportSize({ width: 390, height: 844 });
      await p2.screenshot({ path: `${shots}/player-phone.png`, fullPage: true });
      console.log(`ok: without JavaScript a line opens ${src}`);
    } finally {
      await plain.close();
    }
  },
});
