import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { Scheduler } from '../scheduler/scheduler.ts';
import { startServer } from '../server/start-server.ts';
import { createTestDeps, HELLO_FLOW, OFFLINE_RAG_FLOW, type TestDeps } from '../server/testing/test-app.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'src/ui/web/dist');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flow typed in the editor; the last line is completed by autocomplete. */
const TYPED_FLOW = `id: greeter
namespace: company.team
inputs:
  - id: name
    type: STRING
tasks:
  - id: greet
    message: "Hello {{ inputs.name }}"
  - id: pause
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT1S
  - id: bye
    type: io.kestra.plugin.core.log.Log
    message: "Goodbye {{ inputs.name }}"
`;

function buildUiIfMissing(): void {
  if (existsSync(join(DIST, 'index.html'))) return;
  const vite = join(ROOT, 'node_modules/.bin/vite');
  const result = spawnSync(vite, ['build', '--config', 'src/ui/web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  assert.equal(result.status, 0, 'building the UI failed');
}

describe('web UI in headless Chromium', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}` }, () => {
  let browser: Browser;
  let page: Page;
  let url: string;
  let close: () => Promise<void>;
  let deps: TestDeps;
  let dataDir: string;
  const errors: string[] = [];

  before(async () => {
    buildUiIfMissing();
    await mkdir(ARTIFACTS, { recursive: true });
    dataDir = await mkdtemp(join(tmpdir(), 'windhover-ui-'));
    const examplesDir = join(dataDir, 'examples');
    await mkdir(examplesDir);
    await writeFile(join(examplesDir, 'hello.yml'), HELLO_FLOW);
    deps = await createTestDeps();
    // Not started: the page only needs trigger states and backfill actions, not fires.
    const scheduler = new Scheduler({ repository: deps.repository, engine: deps.engine, registry: deps.registry });
    const server = await startServer({ ...deps, scheduler, examplesDir, host: '127.0.0.1', port: 0 });
    url = server.url;
    close = async () => {
      await server.close();
      await deps.close();
    };
    const created = await fetch(`${url}/api/v1/main/flows`, {
      method: 'POST',
      body: OFFLINE_RAG_FLOW,
      headers: { 'content-type': 'application/x-yaml' },
    });
    assert.equal(created.status, 200);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => errors.push(error.message));
  });

  after(async () => {
    await browser?.close();
    await close?.();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('create a flow with autocomplete, see its topology, execute it, watch logs live, see SUCCESS', async () => {
    await page.goto(`${url}/flows/new`);
    const content = page.locator('.cm-content');
    await content.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(TYPED_FLOW);
    // Put the cursor at the end of `- id: greet` and start a new property line.
    await page.getByText('- id: greet').click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('type: io.kestra.plugin.core.lo');
    const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'io.kestra.plugin.core.log.Log' });
    await option.first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'flow-editor-autocomplete.png') });
    await option.first().click();
    await page.locator('.cm-content', { hasText: 'type: io.kestra.plugin.core.log.Log' }).waitFor();
    await page.locator('[data-testid="topology"] .react-flow__node', { hasText: 'greet' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'flow-editor.png') });

    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/flows\/edit\/company\.team\/greeter$/);
    await page.locator('.page-header', { hasText: 'revision 1' }).waitFor();

    await page.getByRole('link', { name: 'Execute' }).click();
    await page.getByLabel('name').fill('Ada');
    await page.screenshot({ path: join(ARTIFACTS, 'execute-form.png') });
    await page.getByRole('button', { name: 'Execute' }).click();
    await page.waitForURL(/\/executions\/[0-9a-f-]{36}$/);
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.locator('[data-testid="logs"] .log-line', { hasText: 'Hello Ada' }).waitFor();
    await page.locator('.page-header .state', { hasText: 'SUCCESS' }).waitFor();
    await page.locator('[data-testid="logs"] .log-line', { hasText: 'Goodbye Ada' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'execution-logs.png') });
    await page.getByRole('tab', { name: 'Gantt' }).click();
    await page.locator('[data-testid="gantt"] .gantt-row', { hasText: 'greet' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'execution-gantt.png') });
    await page.getByRole('tab', { name: 'Topology' }).click();
    await page.locator('[data-testid="topology"] .react-flow__node', { hasText: 'greet' }).waitFor();
    // Replay from the last task: a new execution that reuses the earlier outputs.
    const before = page.url();
    await page.getByRole('tab', { name: 'Gantt' }).click();
    await page.getByRole('button', { name: 'Replay from bye' }).click();
    await page.waitForURL((current) => current.toString() !== before);
    await page.locator('.page-header .state', { hasText: 'SUCCESS' }).waitFor();
    assert.deepEqual(errors, []);
  });

  test('saving a change makes revision 2 and the history shows a diff', async () => {
    await page.goto(`${url}/flows/edit/company.team/greeter`);
    await page.locator('.cm-content', { hasText: 'id: greeter' }).waitFor();
    await page.locator('[data-testid="topology"] .react-flow__node', { hasText: 'greet' }).waitFor();
    await page.getByText('namespace: company.team').click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.insertText('description: Greets people');
    await page.keyboard.press('Control+s');
    await page.getByText('Saved revision 2').waitFor();
    await page.getByText('Revisions (2)').click();
    await page.getByLabel('Compare revision').selectOption('1');
    await page.locator('[data-testid="revision-diff"] .cm-changedLine', { hasText: 'Greets people' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'revision-diff.png') });
  });

  test('invalid YAML shows markers with lines and nothing is saved', async () => {
    await page.goto(`${url}/flows/new`);
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(
      'id: broken\nnamespace: company.team\ntasks:\n  - id: a\n    type: io.kestra.plugin.nope.Nope\n',
    );
    await page.locator('.cm-lint-marker-error').first().waitFor();
    await page.locator('[data-testid="violations"]', { hasText: 'line 5' }).waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'flow-editor-invalid.png') });
    const response = await fetch(`${url}/api/v1/main/flows/company.team/broken`);
    assert.equal(response.status, 404);
  });

  test("the execute form shows the server's validation message next to the input; replay starts a new execution", async () => {
    await page.goto(`${url}/flows/execute/company.ai/handbook_qa`);
    await page.getByRole('button', { name: 'Execute' }).click();
    await page.locator('#input-question ~ .field-error').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'execute-form-invalid.png') });
    await page.goto(`${url}/executions`);
    await page.locator('tbody tr', { hasText: 'greeter' }).first().getByRole('link').click();
    await page.locator('.page-header .state', { hasText: 'SUCCESS' }).waitFor();
    const before = page.url();
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.waitForURL((current) => current.toString() !== before);
    await page.locator('.page-header .state', { hasText: 'SUCCESS' }).waitFor();
  });

  test('ask a question on a RAG flow and see the answer with its sources', async () => {
    await page.goto(`${url}/ask`);
    await page.getByLabel('Question').fill('How many days of vacation do employees get?');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.locator('[data-testid="answer"]', { hasText: 'twenty-five days' }).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="sources"] li', { hasText: 'Vacation policy' }).first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'ask.png') });
  });

  test('triggers page: next fire date, start and cancel a backfill', async () => {
    const flow = `id: nightly
namespace: company.ops
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: nightly run
triggers:
  - id: every_night
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 3 * * *"
`;
    const created = await fetch(`${url}/api/v1/main/flows`, {
      method: 'POST',
      body: flow,
      headers: { 'content-type': 'application/x-yaml' },
    });
    assert.equal(created.status, 200);
    await page.goto(`${url}/triggers`);
    const row = page.locator('tbody tr', { hasText: 'every_night' });
    await row.waitFor();
    await row.getByRole('button', { name: 'Backfill' }).click();
    await page.getByLabel('Start', { exact: true }).fill('2026-01-01T00:00');
    await page.getByLabel('End', { exact: true }).fill('2026-01-05T00:00');
    await page.getByRole('button', { name: 'Start backfill' }).click();
    await row.getByRole('button', { name: 'Pause' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'triggers.png') });
    await row.getByRole('button', { name: 'Cancel backfill' }).click();
    await row.getByRole('button', { name: 'Backfill' }).waitFor();
  });

  test('flows, executions, KV and blueprints pages render', async () => {
    await page.goto(`${url}/flows/edit/company.ops/nightly`);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(/\/flows$/);
    await page.getByRole('link', { name: 'greeter' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'nightly' }).count(), 0);
    await page.screenshot({ path: join(ARTIFACTS, 'flows.png') });
    await page.goto(`${url}/executions`);
    await page.locator('tbody .state', { hasText: 'SUCCESS' }).first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'executions.png') });
    await fetch(`${url}/api/v1/main/namespaces/company.ai/kv/top_k?ttl=PT1H`, { method: 'PUT', body: '5' });
    await page.goto(`${url}/kv`);
    await page.getByLabel('Namespace').fill('company.ai');
    await page.getByRole('cell', { name: 'top_k' }).waitFor();
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.getByLabel('Key', { exact: true }).fill('greeting');
    await page.getByLabel('Value').fill('hello');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'greeting' }).waitFor();
    const stored = (await (await fetch(`${url}/api/v1/main/namespaces/company.ai/kv/greeting`)).json()) as {
      type: string;
      value: unknown;
    };
    assert.deepEqual([stored.type, stored.value], ['STRING', 'hello']);
    await page.screenshot({ path: join(ARTIFACTS, 'kv.png') });
    await page.goto(`${url}/blueprints`);
    await page.getByRole('button', { name: 'Use in editor' }).click();
    await page.waitForURL(/\/flows\/new$/);
    await page.locator('.cm-content', { hasText: 'Says hello' }).waitFor();
    assert.deepEqual(errors, []);
  });

  test('behind basic auth the browser signs in and live views still stream', async () => {
    const secured = await startServer({
      ...deps,
      auth: [{ username: 'admin', password: 'correct horse' }],
      host: '127.0.0.1',
      port: 0,
    });
    const context = await browser.newContext({ httpCredentials: { username: 'admin', password: 'correct horse' } });
    try {
      assert.equal((await fetch(`${secured.url}/flows`)).status, 401);
      const signedIn = await context.newPage();
      await signedIn.goto(`${secured.url}/executions`);
      await signedIn.locator('tbody tr', { hasText: 'greeter' }).first().getByRole('link').click();
      await signedIn.getByRole('tab', { name: 'Logs' }).click();
      await signedIn.locator('[data-testid="logs"] .log-line', { hasText: 'Hello Ada' }).waitFor();
    } finally {
      await context.close();
      await secured.close();
    }
  });
});
