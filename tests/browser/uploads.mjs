// tests/browser/uploads.mjs — resumable uploads in headless Chromium,
// against the real binary.
//
// 1. tus-js-client (npm, pinned in tests/package.json) in a page of the
//    archive, signed in as a community member: uploads a 12 MB file to
//    /uploads/ with the session's CSRF token in X-CSRF-Token, its upload
//    throttled to 2 MB/s; a third of the way the server is stopped
//    (SIGTERM), started again a second later on the same port, and the
//    client, retrying, asks where to go on from and finishes. The bytes
//    in ARCHIVE/uploads/ID must be the file's (SHA-256), the upload done.
// 2. The site's own assets/upload.js on /upload?return=/work/...: the same
//    with the form's file input (Content-Security-Policy enforced: no
//    inline script), the server killed (SIGKILL) midway and started again;
//    the page must end at the return path with upload=ID, the bytes the
//    file's.
// Any script error, console error, or failed request outside the
// outages is a failure. Prints "N passed, N failed" at the end.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { BINARY, sh } from './lib.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PW = 'correct horse battery';
const TIMEOUT_MS = 170_000;
let passed = 0;
let failed = 0;
const ok = (name) => { passed++; console.log(`ok   ${name}`); };
const bad = (name, what) => { failed++; console.log(`FAIL ${name}: ${what}`); };
const same = (name, got, want) => (got === want ? ok(name) : bad(name, `got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`));

// bytes: n pseudo-random bytes (xorshift32 from seed), the same every run.
function bytes(n, seed) {
  const b = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    b.writeUInt32LE(x, i);
  }
  return b;
}
const sha = (b) => createHash('sha256').update(b).digest('hex');

// serve ARCHIVE on LISTEN; resolves with { proc, base } once listening.
function serve(archive, listen) {
  const proc = spawn(BINARY, ['-a', archive, 'serve', '--listen', listen], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stderrText = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (s) => { proc.stderrText += s; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no serving line in 10 s\n${proc.stderrText}`)), 10_000);
    proc.on('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`server exited (${sig || code})\n${proc.stderrText}`)); });
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (s) => {
      out += s;
      const m = out.match(/on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(timer); proc.removeAllListeners('exit'); resolve({ proc, base: m[1] }); }
    });
  });
}
function stop(proc, signal) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode);
    proc.once('exit', (code, sig) => resolve(sig || code));
    proc.kill(signal);
  });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const tmp = mkdtempSync(path.join(tmpdir(), 'cinemateca-browser-uploads-'));
  const archive = path.join(tmp, 'archive');
  let server = null;
  let browser = null;
  const problems = [];
  let outage = false;         // the server is down on purpose: failed requests are expected
  const watchdog = setTimeout(() => {
    console.log(`FAIL uploads: the test did not finish in ${TIMEOUT_MS / 1000} s`);
    console.log(`${passed} passed, ${failed + 1} failed`);
    server?.proc.kill('SIGKILL');
    process.exit(1);
  }, TIMEOUT_MS);
  watchdog.unref();
  try {
    sh(BINARY, ['-a', archive, 'demo'], 60_000);
    const add = spawn(BINARY, ['-a', archive, 'user', 'add', 'ana', '--role', 'community', '--password-stdin']);
    add.stdin.end(`${PW}\n`);
    await new Promise((r) => add.on('exit', r));
    server = await serve(archive, '127.0.0.1:0');
    const base = server.base;
    const listen = base.replace('http://', '');
    console.log(`uploads: server ${base} (${BINARY})`);

    browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // restart SIGNAL: stop the server, wait, start it again on the same port
    const restart = async (signal) => {
      outage = true;
      await stop(server.proc, signal);
      await sleep(1000);
      server = await serve(archive, listen);
      await sleep(300);
      outage = false;
    };
    const watch = (page, label) => {
      page.on('pageerror', (e) => problems.push(`${label}: script error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() !== 'error') return;
        // what a stopped server makes the browser say about its requests
        if (/ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE|ERR_CONNECTION_RESET|Failed to load resource/.test(m.text()) && outage) return;
        problems.push(`${label}: console error: ${m.text()}`);
      });
      page.on('requestfailed', (r) => { if (!outage) problems.push(`${label}: request failed: ${r.url()} (${r.failure()?.errorText})`); });
      page.on('response', (r) => { if (r.status() >= 400 && !outage) problems.push(`${label}: HTTP ${r.status()} for ${r.url()}`); });
    };
    const signIn = async (page) => {
      await page.goto(`${base}/login`);
      await page.fill('input[name="name"]', 'ana');
      await page.fill('input[name="password"]', PW);
      await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type="submit"]')]);
    };
    const throttle = async (context, page) => {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false, latency: 5, downloadThroughput: -1, uploadThroughput: 2 * 1024 * 1024,
      });
    };
    const uploaded = (id) => readFileSync(path.join(archive, 'uploads', id));
    const state = (id) => sh('sqlite3', [path.join(archive, 'catalog.db'),
      `SELECT state || ' ' || received || '/' || length FROM upload WHERE id = '${id}'`]).trim();

    // ---- 1. tus-js-client ----------------------------------------------
    {
      // the page may run the test's own script (tus-js-client's bundle)
      const context = await browser.newContext({ bypassCSP: true });
      context.setDefaultTimeout(20_000);
      await context.route('**/*', (r) => (r.request().url().startsWith(base + '/') ? r.continue() : (problems.push(`outside: ${r.request().url()}`), r.abort())));
      const page = await context.newPage();
      watch(page, 'tus-js-client');
      await signIn(page);
      await page.goto(`${base}/upload?return=/`);
      await page.addScriptTag({ path: 'tests/node_modules/tus-js-client/dist/tus.min.js' });
      const file = bytes(12 * 1024 * 1024, 1983);
      await throttle(context, page);
      await page.evaluate(({ data }) => {
        const raw = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const f = new File([raw], 'testimonio-doña-helena.bin', { type: 'application/octet-stream' });
        const csrf = document.querySelector('input[name="csrf"]').value;
        window.state = { progress: 0, url: null, error: null };
        const up = new window.tus.Upload(f, {
          endpoint: '/uploads/',
          chunkSize: 1024 * 1024,
          retryDelays: [500, 1000, 1000, 2000, 2000, 3000, 3000, 5000],
          headers: { 'X-CSRF-Token': csrf },
          metadata: { filename: f.name, filetype: f.type },
          onProgress: (sent, total) => { window.state.progress = sent / total; },
          onSuccess: () => { window.state.url = up.url; },
          onError: (e) => { window.state.error = String(e); },
        });
        up.start();
      }, { data: file.toString('base64') });
      await page.waitForFunction(() => window.state.progress > 0.33 || window.state.error, null, { timeout: 30_000 });
      const at = await page.evaluate(() => window.state.progress);
      await restart('SIGTERM');
      ok(`tus-js-client: the server stopped at ${Math.round(at * 100)} % and started again`);
      await page.waitForFunction(() => window.state.url || window.state.error, null, { timeout: 60_000 });
      const st = await page.evaluate(() => window.state);
      same('tus-js-client: the upload finished without an error', st.error, null);
      const id = (st.url || '').split('/').pop();
      same('tus-js-client: the upload is done, all of it', state(id), `done ${file.length}/${file.length}`);
      same('tus-js-client: the bytes after the restart are the file\'s (SHA-256)', sha(uploaded(id)), sha(file));
      same('tus-js-client: resumed the same upload (one upload made, no new POST)',
        sh('sqlite3', [path.join(archive, 'catalog.db'), 'SELECT count(*) FROM upload']).trim(), '1');
      same('tus-js-client: the file name came through Upload-Metadata',
        sh('sqlite3', [path.join(archive, 'catalog.db'), `SELECT filename FROM upload WHERE id = '${id}'`]).trim(),
        'testimonio-doña-helena.bin');
      await context.close();
    }

    // ---- 2. the site's upload.js ---------------------------------------
    {
      const context = await browser.newContext();
      context.setDefaultTimeout(20_000);
      await context.route('**/*', (r) => (r.request().url().startsWith(base + '/') ? r.continue() : (problems.push(`outside: ${r.request().url()}`), r.abort())));
      const page = await context.newPage();
      watch(page, 'upload.js');
      await signIn(page);
      await page.goto(`${base}/upload?return=/work/dona-helena-palliri`);
      const file = bytes(10 * 1024 * 1024, 2024);
      const name = path.join(tmp, 'memoria.bin');
      writeFileSync(name, file);
      await page.setInputFiles('input[type="file"]', name);
      await throttle(context, page);
      await page.click('form.upload button[type="submit"]');
      await page.waitForFunction(() => Number(document.querySelector('progress.upload-progress')?.value) > 0.3,
        null, { timeout: 30_000 });
      const at = await page.evaluate(() => document.querySelector('progress.upload-progress').value);
      const said = await page.evaluate(() => document.querySelector('.upload-status').textContent);
      ok(`upload.js: progress shown (${said.trim()})`);
      await restart('SIGKILL');
      ok(`upload.js: the server killed at ${Math.round(at * 100)} % and started again`);
      await page.waitForURL(/\/work\/dona-helena-palliri\?upload=[0-9a-f]{32}$/, { timeout: 60_000 });
      const id = new URL(page.url()).searchParams.get('upload');
      ok('upload.js: the page went to the return path with upload=ID');
      same('upload.js: the upload is done, all of it', state(id), `done ${file.length}/${file.length}`);
      same('upload.js: resumed the same upload (two uploads in all, no new POST)',
        sh('sqlite3', [path.join(archive, 'catalog.db'), 'SELECT count(*) FROM upload']).trim(), '2');
      same('upload.js: the bytes after the kill and restart are the file\'s (SHA-256)', sha(uploaded(id)), sha(file));
      mkdirSync('build/screenshots', { recursive: true });
      await page.screenshot({ path: 'build/screenshots/uploads-done.png' });
      await context.close();
    }
  } catch (err) {
    bad('uploads', err.stack || String(err));
  } finally {
    await browser?.close();
    if (server) {
      const rc = await stop(server.proc, 'SIGTERM');
      if (rc !== 0) bad('the server stops cleanly', `${rc}\n${server.proc.stderrText}`);
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const p of problems) bad('uploads', p);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main();
