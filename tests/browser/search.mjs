// tests/browser/search.mjs — a person's search, in a real browser.
//
// Starts the real server on a fresh demo archive, opens the home page in
// Debian's headless Chromium (driven by playwright-core), types "palliri"
// into the search box, submits, clicks the first result and checks that
// the page's h1 is "Doña Helena Palliri". Screenshots of the results (at
// desktop and phone width) and of the work page go to build/screenshots/.
// The page may load nothing from outside the server, and no script error,
// failed request or 4xx/5xx sub-resource is allowed.
//
// Run from anywhere: node tests/browser/search.mjs (or tests/browser/run.sh).
// Environment: CINEMATECA (binary, default build/cinemateca, relative to
// the project root), CHROMIUM (default /usr/bin/chromium).
// Ends with "1 passed, 0 failed" or "0 passed, 1 failed" and the exit code
// to match.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(ROOT);

const BINARY = process.env.CINEMATECA || 'build/cinemateca';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = 'build/screenshots';
const TEST_TIMEOUT_MS = 90_000;   // the whole test, server start included
const STEP_TIMEOUT_MS = 15_000;   // one navigation or click
const QUERY = 'palliri';
const EXPECTED_H1 = 'Doña Helena Palliri';

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

async function run(base, problems) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    // Nothing leaves the machine: any request not to our server is refused
    // and reported.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(base + '/') || url.startsWith('data:')) return route.continue();
      problems.push(`request outside the server: ${url}`);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`script error: ${err.message}`));
    page.on('requestfailed', (req) => {
      if (!req.url().startsWith(base + '/')) return;   // already reported above
      problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
    });

    await page.goto(base + '/');
    const box = page.locator('form[action="/search"] input[name="q"]');
    await box.fill(QUERY);
    await Promise.all([page.waitForURL(/\/search\?/), box.press('Enter')]);

    const first = page.locator('ol.results > li').first().locator('a').first();
    if (await first.count() === 0) throw new Error(`no results for "${QUERY}" at ${page.url()}`);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/search.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SHOTS}/search-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });

    const href = await first.getAttribute('href');
    await Promise.all([page.waitForURL((u) => u.pathname === href), first.click()]);
    const h1 = (await page.locator('h1').first().textContent() ?? '').trim();
    await page.screenshot({ path: `${SHOTS}/work.png`, fullPage: true });
    if (!h1.includes(EXPECTED_H1)) {
      throw new Error(`first result ${href}: h1 is "${h1}", expected "${EXPECTED_H1}"`);
    }
    console.log(`ok: "${QUERY}" -> ${href} -> h1 "${h1}"`);
  } finally {
    await browser.close();
  }
}

let server = null;   // { proc, base } once started; the watchdog kills it

async function main() {
  const tmp = mkdtempSync(path.join(tmpdir(), 'cinemateca-browser-'));
  const problems = [];
  try {
    const archive = path.join(tmp, 'archive');
    const demo = spawnSync(BINARY, ['-a', archive, 'demo'], { encoding: 'utf8', timeout: 60_000 });
    if (demo.error) throw new Error(`cannot run ${BINARY}: ${demo.error.message}`);
    if (demo.status !== 0) throw new Error(`${BINARY} demo failed:\n${demo.stdout}${demo.stderr}`);
    server = await startServer(archive);
    console.log(`server: ${server.base} (pid ${server.proc.pid}, ${BINARY})`);
    await run(server.base, problems);
  } catch (err) {
    problems.unshift(err.stack || String(err));
  } finally {
    if (server) {
      try { await stopServer(server.proc); } catch (err) { problems.push(err.message); }
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const p of problems) console.log(`FAIL: ${p}`);
  console.log(problems.length ? '0 passed, 1 failed' : '1 passed, 0 failed');
  return problems.length ? 1 : 0;
}

const watchdog = setTimeout(() => {
  console.log(`FAIL: the test did not finish in ${TEST_TIMEOUT_MS / 1000} s`);
  console.log('0 passed, 1 failed');
  server?.proc.kill('SIGKILL');
  process.exit(1);
}, TEST_TIMEOUT_MS);
watchdog.unref();
process.exitCode = await main();
