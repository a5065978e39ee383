// Checks pages with axe-core in headless Chromium: WCAG 2.1 A and AA rules, at a desktop width
// and at 320 CSS pixels (where it also measures whether the page scrolls sideways).
//
// Usage: node axe.mjs CHROMIUM PAGE.html...
// Prints one JSON object: {"pages": [{"page", "width", "overflow", "violations": [{"id",
// "impact", "help", "nodes": [target...]}]}]}. Exits 0 when every page was checked (whatever
// axe found: the caller judges), 2 on a usage error, 1 when the browser or a page failed.
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const [executablePath, ...pages] = process.argv.slice(2);
if (!executablePath || pages.length === 0) {
  console.error('usage: node axe.mjs CHROMIUM PAGE.html...');
  process.exit(2);
}

// Headless, offline, no profile state: nothing but the pages under test.
const flags = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
// The whole run's deadline: a page that never settles fails the test instead of hanging it
// (Playwright ends the browser it started when Node exits).
const deadline = setTimeout(() => {
  console.error('axe.mjs: no result within 5 minutes');
  process.exit(1);
}, 5 * 60 * 1000);
deadline.unref();

const profile = mkdtempSync(join(tmpdir(), 'actionplan-axe-'));
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const widths = [1280, 320];

let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true, args: flags, offline: true,
    viewport: { width: widths[0], height: 900 },
  });
  const page = context.pages()[0] ?? await context.newPage();
  const results = [];
  for (const file of pages) {
    for (const width of widths) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: 'load' });
      await page.evaluate(axeSource);
      const found = await page.evaluate(
        (values) => globalThis.axe.run(document, { runOnly: { type: 'tag', values } }),
        tags);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth > document.documentElement.clientWidth);
      results.push({
        page: file,
        width,
        overflow,
        violations: found.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map((n) => n.target.join(' ')),
        })),
      });
    }
  }
  process.stdout.write(JSON.stringify({ pages: results }) + '\n');
} catch (e) {
  console.error(e && e.stack ? e.stack : String(e));
  process.exitCode = 1;
} finally {
  if (context) await context.close();
  rmSync(profile, { recursive: true, force: true });
}
