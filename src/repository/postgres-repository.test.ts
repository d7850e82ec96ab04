import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { openRepository } from './open-repository.ts';
import { repositoryConformance } from './repository.conformance.ts';

const url = process.env.WINDHOVER_TEST_POSTGRES_URL;

if (!url) {
  test('PostgreSQL repository', {
    skip: 'set WINDHOVER_TEST_POSTGRES_URL=postgres://… to run against a server',
  }, () => {});
} else {
  repositoryConformance('PostgreSQL', async () => {
    // Each run gets its own schema, dropped afterwards, so runs never see each other's rows.
    const schema = `wh_test_${randomBytes(6).toString('hex')}`;
    return {
      open: () => openRepository({ url, dataDir: '.', schema }),
      cleanup: async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`drop schema if exists "${schema}" cascade`);
        } finally {
          await client.end();
        }
      },
    };
  });
}
