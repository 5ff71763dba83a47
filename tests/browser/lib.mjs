// tests/browser/lib.mjs — what the browser tests share: a fresh demo
// archive, the real server on port 0, Debian's headless Chromium driven by
// playwright-core with nothing allowed to leave the machine, and one
// closing line "N passed, N failed".
//
// A test module calls browserTest(name, { setup, run }): setup(archive, sh)
// prepares the archive before the server starts (sh(cmd, args) runs a
// program and throws with its output if it fails); run({ base, page,
// problems, shots, browser }) drives the page and throws on the first
// wrong thing.
// Any script error on the page, console error (a resource the
// Content-Security-Policy blocked, say), failed request, 4xx/5xx response
// or request outside the server is a failure too.
//
// Environment: CINEMATECA (binary, default build/cinemateca, relative to
// the project root), CHROMIUM (default /usr/bin/chromium).

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(ROOT);

export const BINARY = process.env.CINEMATECA || 'build/cinemateca';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = 'build/screenshots';
const TEST_TIMEOUT_MS = 120_000;  // the whole test, archive and server start included
const STEP_TIMEOUT_MS = 15_000;   // one navigation, click or wait

// sh(cmd, args): run a program to its end; its stdout, or an exception
// with everything it printed.
export function sh(cmd, args, timeout = 120_000) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout });
  if (r.error) throw new Error(`cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

// startServer(archive): spawn `serve` on port 0 and resolve with
// { proc, base } once it prints its serving line; reject if it exits or
// stays silent for 10 s. Its stderr is kept for failure messages.
function startServer(archive) {
  const proc = spawn(BINARY, ['-a', archive, 'serve', '--listen', '127.0.0.1:0'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stderrText = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (s) => { proc.stderrText += s; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      reject(new Error(`server printed no serving line in 10 s\n${proc.stderrText}`));
    }, 10_000);
    proc.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${BINARY}: ${err.message}`));
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${signal || code}) before listening\n${proc.stderrText}`));
    });
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (s) => {
      out += s;
      const m = out.match(/^cinemateca: serving .* on (http:\/\/127\.0\.0\.1:\d+)\/\s*$/m);
      if (m) {
        clearTimeout(timer);
        proc.removeAllListeners('exit');
        resolve({ proc, base: m[1] });
      }
    });
  });
}

// startViewer(serve): an HTTP server on a loopback port answering every
// request with serve(url); resolves with the listening server.
function startViewer(serve) {
  const srv = http.createServer((req, res) => {
    const r = serve(`http://localhost${req.url}`);
    res.writeHead(r.status, { 'Content-Type': r.type, 'Cache-Control': 'no-store' });
    res.end(r.body);
  });
  return new Promise((resolve, reject) => {
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  });
}

// stopServer(proc): SIGTERM and wait; throws unless it exits 0 within 10 s.
async function stopServer(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) {
    throw new Error(`server had already exited (${proc.signalCode || proc.exitCode})\n${proc.stderrText}`);
  }
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  proc.kill('SIGTERM');
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 10_000));
  const result = await Promise.race([exited, timeout]);
  if (result === null) {
    proc.kill('SIGKILL');
    throw new Error('server ignored SIGTERM for 10 s');
  }
  if (result.code !== 0) {
    throw new Error(`server exited with ${result.signal || result.code} after SIGTERM\n${proc.stderrText}`);
  }
}

async function withPage(base, problems, run, viewer) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    // Nothing leaves the machine: any request not to our server is refused
    // and reported.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(base + '/') || url.startsWith('data:')) return route.continue();
      // a page of another origin (a IIIF viewer's), served by the test
      if (viewer && url.startsWith(viewer.origin + '/')) return route.continue();
      problems.push(`request outside the server: ${url}`);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`script error: ${err.message}`));
    // the console's errors include what the Content-Security-Policy blocked
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !(viewer?.quiet || []).some((re) => re.test(msg.text()))) {
        problems.push(`console error: ${msg.text()}`);
      }
    });
    page.on('requestfailed', (req) => {
      if (!req.url().startsWith(base + '/')) return;   // already reported above (or the viewer's)
      // a media request the browser itself gives up (it seeks elsewhere,
      // or has what it needs) is not a failure of the server
      if (req.resourceType() === 'media' && req.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
    });
    mkdirSync(SHOTS, { recursive: true });
    await run({ base, page, problems, shots: SHOTS, browser });
  } finally {
    await browser.close();
  }
}

// browserTest(name, { setup, run }): the whole test, with its closing line
// and exit code; see the top of this file.
//
// With viewer: { serve(url), quiet } the test also serves pages of
// another origin (a IIIF viewer's) from a second HTTP server on a loopback
// port: serve(url) returns { status, type, body }; run gets its origin as
// viewer (http://localhost:PORT); console errors matching a regexp in
// quiet (third-party code's own warnings) are not failures. With host, the
// archive is addressed by that name instead of 127.0.0.1 ('localhost':
// the same site as the viewer, so that the browser sends the archive's
// cookies to a frame in the viewer's page).
export async function browserTest(name, { setup, run, viewer, host }) {
  let server = null;
  let viewerServer = null;
  const watchdog = setTimeout(() => {
    console.log(`FAIL: ${name}: the test did not finish in ${TEST_TIMEOUT_MS / 1000} s`);
    console.log('0 passed, 1 failed');
    server?.proc.kill('SIGKILL');
    process.exit(1);
  }, TEST_TIMEOUT_MS);
  watchdog.unref();

  const tmp = mkdtempSync(path.join(tmpdir(), 'cinemateca-browser-'));
  const problems = [];
  try {
    const archive = path.join(tmp, 'archive');
    sh(BINARY, ['-a', archive, 'demo'], 60_000);
    if (setup) await setup(archive, tmp);
    server = await startServer(archive);
    console.log(`${name}: server ${server.base} (pid ${server.proc.pid}, ${BINARY})`);
    const base = host ? server.base.replace('127.0.0.1', host) : server.base;
    if (viewer) {
      viewerServer = await startViewer(viewer.serve);
      viewer.origin = `http://localhost:${viewerServer.address().port}`;
    }
    await withPage(base, problems, (ctx) => run({ ...ctx, viewer: viewer?.origin }), viewer);
  } catch (err) {
    problems.unshift(err.stack || String(err));
  } finally {
    if (server) {
      try { await stopServer(server.proc); } catch (err) { problems.push(err.message); }
    }
    viewerServer?.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const p of problems) console.log(`FAIL: ${name}: ${p}`);
  console.log(problems.length ? '0 passed, 1 failed' : '1 passed, 0 failed');
  process.exitCode = problems.length ? 1 : 0;
}
