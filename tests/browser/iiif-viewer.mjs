// tests/browser/iiif-viewer.mjs — the archive's films in IIIF viewers on
// another origin, in a real browser.
//
// The archive is addressed as http://localhost:PORT; the viewers' pages come
// from another server, http://localhost:PORT2 (another origin of the same site: over plain
// HTTP a browser sends a site's cookies to a frame of another site only
// when they are SameSite=None and Secure, which needs TLS). Two viewers:
//
//   1. Mirador 4 (its self-contained dist bundle from npm, unchanged) loads
//      the manifest of a public film with Spanish captions: it shows the
//      video from the archive with its caption track, and the film plays.
//   2. A IIIF Authorization Flow 2.0 client, written here from the
//      specification's "workflow from the browser client perspective" (no
//      published viewer speaks Auth 2.0 for video yet: Mirador 4.0.0 knows
//      Auth 1.0 for images only), loads the manifest of a public work whose
//      film is for accounts only: the probe says 401; the visitor presses
//      the access service's label, signs in in the window it opens, which
//      closes itself; the client frames the token service, which posts the
//      token to the viewer's origin; the probe, shown the token, says 200;
//      the film plays. A token asked for by a page that names another
//      origin never reaches this one.
//
// Run from anywhere: node tests/browser/iiif-viewer.mjs (or tests/browser/run.sh).

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BINARY, ROOT, browserTest, sh } from './lib.mjs';

const OPEN = 'llacquiy-huata';            // a public work: its film and captions public
const LOCKED = 'dona-helena-palliri';     // a public work: its film for accounts only
const PW = 'correct horse battery';
const MIRADOR = readFileSync(path.join(ROOT, 'tests/node_modules/mirador/dist/mirador.min.js'));

const VTT = `WEBVTT

00:00:00.500 --> 00:00:02.500
Las palliris escogen el mineral.

00:00:03.000 --> 00:00:05.000
Doña Helena canta en la mina.
`;

// the pages of the viewers' site; the archive's address comes in ?base=
const MIRADOR_PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Mirador</title>
<style>#m { position: absolute; inset: 0; }</style></head><body><div id="m"></div>
<script src="/mirador.min.js"></script>
<script>
const base = new URLSearchParams(location.search).get('base');
window.viewer = Mirador.viewer({ id: 'm', windows: [{ manifestId: base + '/iiif/manifest/${OPEN}' }],
  window: { allowClose: false }, workspaceControlPanel: { enabled: false } });
</script></body></html>`;

// An Auth 2.0 client: the steps of the specification, one after another,
// each written into window.flow so that the test can follow it.
const AUTH_PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Auth 2.0 client</title></head>
<body><p id="status">loading</p><button id="access" hidden></button><div id="player"></div>
<script>
const flow = window.flow = { steps: [] };
const say = (s) => { flow.steps.push(s); document.getElementById('status').textContent = s; };
const base = new URLSearchParams(location.search).get('base');
const find = (list, type) => (list || []).find((s) => s.type === type);

async function probe(service, token) {
  const headers = token ? { Authorization: 'Bearer ' + token } : {};
  const r = await fetch(service.id, { headers });
  if (!r.ok) throw new Error('probe: HTTP ' + r.status);
  return r.json();
}

// the token service in a frame: the answer comes by postMessage, from the
// token service's own origin, for our messageId
function token(service) {
  return new Promise((resolve) => {
    const messageId = 'm' + Math.random().toString(36).slice(2);
    const from = new URL(service.id).origin;
    const frame = document.createElement('iframe');
    window.addEventListener('message', function on(e) {
      if (e.origin !== from || !e.data || e.data.messageId !== messageId) return;
      window.removeEventListener('message', on);
      frame.remove();
      resolve(e.data);
    });
    frame.hidden = true;
    frame.src = service.id + '?messageId=' + encodeURIComponent(messageId) +
      '&origin=' + encodeURIComponent(location.origin);
    document.body.append(frame);
  });
}

function play(resource) {
  const v = document.createElement('video');
  v.id = 'video';
  v.muted = true;
  v.src = resource.id;
  document.getElementById('player').append(v);
  v.play().then(() => say('playing'), (e) => say('cannot play: ' + e.message));
}

(async () => {
  const manifest = await (await fetch(base + '/iiif/manifest/${LOCKED}')).json();
  const resource = manifest.items[0].items[0].items[0].body;
  const probeService = find(resource.service, 'AuthProbeService2');
  const access = find(probeService && probeService.service, 'AuthAccessService2');
  const tokenService = find(access && access.service, 'AuthAccessTokenService2');
  if (!tokenService || access.profile !== 'active') return say('no active access service');
  let result = await probe(probeService);
  flow.first = result.status;
  if (result.status === 200) return play(resource);
  say('probe ' + result.status);
  const button = document.getElementById('access');
  button.textContent = access.label.en[0];
  button.hidden = false;
  button.onclick = () => {
    const win = window.open(access.id + '?origin=' + encodeURIComponent(location.origin), 'access');
    say('access window open');
    const timer = setInterval(async () => {
      if (!win.closed) return;
      clearInterval(timer);
      say('access window closed');
      const t = await token(tokenService);
      flow.message = t;
      if (t.type !== 'AuthAccessToken2') return say('token error ' + t.profile);
      result = await probe(probeService, t.accessToken);
      flow.second = result.status;
      if (result.status !== 200) return say('probe with token ' + result.status);
      play(resource);
    }, 100);
  };
})().catch((e) => say('error: ' + e.message));
</script></body></html>`;

function serve(url) {
  const u = new URL(url);
  if (u.pathname === '/mirador.min.js') return { status: 200, type: 'text/javascript', body: MIRADOR };
  if (u.pathname === '/mirador.html') return { status: 200, type: 'text/html; charset=utf-8', body: MIRADOR_PAGE };
  if (u.pathname === '/auth.html') return { status: 200, type: 'text/html; charset=utf-8', body: AUTH_PAGE };
  return { status: 404, type: 'text/plain', body: 'not here' };
}

async function playing(page, what) {
  const from = await page.evaluate(() => document.querySelector('video').currentTime);
  await page.waitForFunction((f) => document.querySelector('video').currentTime > f + 0.5, from);
  const to = await page.evaluate(() => document.querySelector('video').currentTime);
  console.log(`ok: ${what}: playing, currentTime ${from.toFixed(2)} -> ${to.toFixed(2)}`);
}

await browserTest('iiif-viewer', {
  host: 'localhost',
  // the warnings of Mirador's bundled React about Mirador's own code
  // (element.ref; its <source> children keyed by a property they lack)
  viewer: { serve, quiet: [/Accessing element\.ref was removed in React 19/,
    /Each child in a list should have a unique "key" prop[\s\S]*Check the render method of `video`/] },
  setup(archive, tmp) {
    const film = path.join(tmp, 'film.mp4');
    const vtt = path.join(tmp, 'es.vtt');
    sh('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i',
      'testsrc2=size=320x240:rate=25:duration=8', '-c:v', 'libx264', '-preset', 'veryfast',
      '-pix_fmt', 'yuv420p', film]);
    writeFileSync(vtt, VTT);
    const cli = (...args) => sh(BINARY, ['-a', archive, ...args]);
    for (const w of [OPEN, LOCKED]) cli('ingest', '--to', w, '--role', 'access', '--no-derive', film);
    cli('subtitle', OPEN, '--lang', 'es', vtt);
    const id = sh('sqlite3', [path.join(archive, 'catalog.db'),
      `SELECT f.id FROM file f JOIN record r ON r.id = f.record_id WHERE r.slug = '${LOCKED}' AND f.role = 'access'`]).trim();
    cli('access', 'set', id, 'registered');
    const r = spawnPassword(archive);
    if (r) throw new Error(r);
  },
  async run({ base, page, shots, viewer: VIEWER }) {
    // ---- 1. Mirador
    await page.goto(`${VIEWER}/mirador.html?base=${encodeURIComponent(base)}`);
    await page.waitForSelector('video', { state: 'attached' });
    const v = await page.evaluate(() => {
      const el = document.querySelector('video');
      return {
        sources: [...el.querySelectorAll('source')].map((s) => s.src),
        tracks: [...el.querySelectorAll('track')].map((t) => ({ src: t.src, lang: t.srclang, label: t.label })),
      };
    });
    if (!v.sources.length || !v.sources[0].startsWith(`${base}/media/`)) {
      throw new Error(`Mirador's video plays ${JSON.stringify(v.sources)}, not the archive's film`);
    }
    if (v.tracks.length !== 1 || v.tracks[0].lang !== 'es' || !v.tracks[0].src.startsWith(`${base}/media/`)) {
      throw new Error(`Mirador's caption tracks: ${JSON.stringify(v.tracks)}`);
    }
    console.log(`ok: Mirador shows the film ${v.sources[0]} with its caption track (${v.tracks[0].label})`);
    // the track's cues load from the archive (CORS), and the film plays
    await page.evaluate(() => {
      const el = document.querySelector('video');
      el.textTracks[0].mode = 'hidden';
      el.muted = true;
      return el.play();
    });
    await page.waitForFunction(() => {
      const t = document.querySelector('video').textTracks[0];
      return t.cues && t.cues.length === 2;
    });
    const cue = await page.evaluate(() => document.querySelector('video').textTracks[0].cues[1].text);
    if (cue !== 'Doña Helena canta en la mina.') throw new Error(`the caption track's second cue is ${cue}`);
    console.log('ok: Mirador\'s caption track has both cues from the archive');
    await playing(page, 'Mirador');
    await page.screenshot({ path: path.join(shots, 'iiif-mirador.png') });

    // ---- 2. the Authorization Flow
    await page.goto(`${VIEWER}/auth.html?base=${encodeURIComponent(base)}`);
    await page.waitForFunction(() => window.flow && window.flow.first !== undefined);
    const first = await page.evaluate(() => window.flow.first);
    if (first !== 401) throw new Error(`the first probe said ${first}, not 401`);
    const label = await page.textContent('#access');
    if (label !== 'Sign in to watch') throw new Error(`the access button says "${label}"`);
    console.log('ok: the probe said 401; the viewer offers "Sign in to watch"');
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#access')]);
    await popup.waitForSelector('input[name="name"]');
    if (!popup.url().startsWith(`${base}/login?next=`)) throw new Error(`the access window opened ${popup.url()}`);
    await popup.fill('input[name="name"]', 'ana');
    await popup.fill('input[name="password"]', PW);
    const closed = popup.waitForEvent('close');
    await popup.click('main form button[type="submit"]');
    await closed;
    console.log('ok: signed in in the access window, which closed itself');
    await page.waitForFunction(() => ['playing'].includes(document.getElementById('status').textContent) ||
      /error|cannot|probe with token/.test(document.getElementById('status').textContent));
    const f = await page.evaluate(() => window.flow);
    if (f.second !== 200) throw new Error(`after signing in: ${JSON.stringify(f)}`);
    if (!/^iiif-[0-9a-f]{64}$/.test(f.message.accessToken) || f.message.expiresIn !== 3600) {
      throw new Error(`the token message: ${JSON.stringify(f.message)}`);
    }
    console.log(`ok: the token service posted an AuthAccessToken2; the probe with it said 200 (${f.steps.join(' → ')})`);
    await playing(page, 'the locked film, once signed in');
    await page.screenshot({ path: path.join(shots, 'iiif-auth-client.png') });

    // ---- a page that names another origin gets no token here
    const stolen = await page.evaluate((b) => new Promise((resolve) => {
      const frame = document.createElement('iframe');
      const t = setTimeout(() => resolve('nothing'), 3000);
      window.addEventListener('message', (e) => {
        if (e.origin === new URL(b).origin) { clearTimeout(t); resolve(JSON.stringify(e.data)); }
      });
      frame.src = `${b}/iiif/token?messageId=x&origin=${encodeURIComponent('http://localhost:7072')}`;
      document.body.append(frame);
    }), base);
    if (stolen !== 'nothing') throw new Error(`a token asked for another origin reached this page: ${stolen}`);
    console.log('ok: a token asked for another origin never reaches this page');
  },
});

// spawnPassword(archive): add the account ana (a viewer); an error message or null.
function spawnPassword(archive) {
  try {
    sh('sh', ['-c', `printf '%s\\n' '${PW}' | "$0" -a "$1" user add ana --role viewer --password-stdin`,
      BINARY, archive]);
    return null;
  } catch (e) {
    return e.message;
  }
}
