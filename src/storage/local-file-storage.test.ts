import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { LocalFileStorage, StorageSizeLimitError } from './local-file-storage.ts';
import { StorageUriError } from './storage-uri.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'wh-storage-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));
const execution = { namespace: 'company.team', flowId: 'ingest', id: 'exec1' };
const bytes = (text: string) => new TextEncoder().encode(text);

async function* chunks(count: number, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < count; i++) yield new Uint8Array(size).fill(65 + (i % 26));
}

describe('LocalFileStorage', () => {
  const storage = new LocalFileStorage(dataDir, execution);

  test('put returns a kestra URI under the execution folder, readable back', async () => {
    const uri = await storage.put('report.txt', bytes('hello'));
    assert.match(uri, /^kestra:\/\/\/company\/team\/ingest\/executions\/exec1\/[0-9a-f-]{36}-report\.txt$/);
    assert.equal(new TextDecoder().decode(await storage.get(uri)), 'hello');
    assert.equal(await storage.exists(uri), true);
    assert.equal(await storage.size(uri), 5);
    const path = storage.localPath(uri);
    assert.ok(path.startsWith(join(dataDir, 'storage', 'company', 'team', 'ingest', 'executions', 'exec1')));
    assert.equal(readFileSync(path, 'utf8'), 'hello');
  });

  test('two puts of the same name do not collide; odd names are made safe and encoded', async () => {
    const a = await storage.put('same.txt', bytes('a'));
    const b = await storage.put('same.txt', bytes('b'));
    assert.notEqual(a, b);
    const odd = await storage.put('../../etc/pass wd%.txt', bytes('x'));
    assert.match(odd, /-\.\._\.\._etc_pass%20wd%25\.txt$/);
    assert.equal(new TextDecoder().decode(await storage.get(odd)), 'x');
    const dots = await storage.put('..', bytes('y'));
    assert.match(dots, /-file$/);
    assert.equal(await storage.exists(dots), true);
  });

  test('streams a put from chunks and enforces the size cap without leaving files', async () => {
    const uri = await storage.put('big.bin', chunks(64, 16 * 1024));
    assert.equal(await storage.size(uri), 64 * 16 * 1024);
    const small = new LocalFileStorage(dataDir, { ...execution, id: 'capped' }, { maxBytes: 1000 });
    await assert.rejects(small.put('big.bin', chunks(3, 600)), StorageSizeLimitError);
    const folder = join(dataDir, 'storage', 'company', 'team', 'ingest', 'executions', 'capped');
    assert.deepEqual(readdirSync(folder), [], 'no partial file is left behind');
    await assert.rejects(
      small.put(
        'text.txt',
        (async function* () {
          yield 'not bytes' as unknown as Uint8Array;
        })(),
      ),
      /chunks must be bytes/,
    );
  });

  test('reads accept any URI of the instance (another execution, a namespace upload)', async () => {
    const other = new LocalFileStorage(dataDir, { ...execution, id: 'exec2' });
    const uri = await other.put('shared.txt', bytes('from exec2'));
    assert.equal(new TextDecoder().decode(await storage.get(uri)), 'from exec2');
    const uploads = LocalFileStorage.forNamespace(dataDir, 'company.team');
    const upload = await uploads.put('input.pdf', bytes('%PDF'));
    assert.match(upload, /^kestra:\/\/\/company\/team\/_files\/[0-9a-f-]{36}-input\.pdf$/);
    assert.equal(await storage.size(upload), 4);
  });

  test('missing files: exists is false, get and size say which URI', async () => {
    const uri = 'kestra:///company/team/ingest/executions/exec1/missing.txt';
    assert.equal(await storage.exists(uri), false);
    await assert.rejects(
      storage.get(uri),
      /not found: kestra:\/\/\/company\/team\/ingest\/executions\/exec1\/missing\.txt/,
    );
    await assert.rejects(storage.size(uri), /not found/);
  });

  test('path traversal in any form is refused with a clear error', async () => {
    const bad = [
      'kestra:///company/../../../etc/passwd',
      'kestra:///company/%2e%2e/%2E%2E/etc/passwd',
      'kestra:///company/..%2f..%2fetc/passwd',
      'kestra:///company/..%5c..%5cetc/passwd',
      'kestra:///company//etc',
      'kestra:///company/a%00b',
      'kestra:///%2Fetc%2Fpasswd',
      'kestra:///',
      'kestra://host/etc/passwd',
      '/etc/passwd',
      'file:///etc/passwd',
      'kestra:///company/%zz',
    ];
    for (const uri of bad) {
      assert.throws(() => storage.localPath(uri), StorageUriError, uri);
      await assert.rejects(storage.get(uri), StorageUriError, uri);
      await assert.rejects(storage.exists(uri), StorageUriError, uri);
    }
  });

  test('ids that could name other folders are refused', () => {
    assert.throws(() => new LocalFileStorage(dataDir, { ...execution, id: '../x' }), /execution id '\.\.\/x'/);
    assert.throws(() => new LocalFileStorage(dataDir, { ...execution, namespace: 'a..b' }), /namespace 'a\.\.b'/);
  });
});
