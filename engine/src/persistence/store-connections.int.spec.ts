import path from 'node:path';
import pg from 'pg';
import { CamundaRestClient } from '@camunda8/sdk';
import { ENGINE_CLIENT_RETRY, findFreePort, REPOSITORY_ROOT } from '@claims/deploy';
import { LauncherProcess } from '@claims/deploy/src/testing/launcher-process';
import { createTestDatabase } from '@claims/deploy/src/testing/test-database';
import { serviceTaskChain } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';
import { STORE_APPLICATION_NAMES } from './engine-store';

/**
 * PostgreSQL may close any of the engine's connections (a restart, a
 * failover, an administrator's pg_terminate_backend). A search connection
 * lost is replaced on the next search; the writer's or the lock's lost means
 * another engine may take the lock, so the engine stops at once, without a
 * final snapshot, and the next start finds everything it acknowledged.
 */

/** Ends the engine's sessions of one kind, as an administrator would; how many it ended. */
async function terminate(databaseUrl: URL, applicationName: string): Promise<number> {
  const admin = new pg.Client({ connectionString: databaseUrl.href });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ ended: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
      [applicationName],
    );
    return rows.filter((row) => row.ended).length;
  } finally {
    await admin.end();
  }
}

describe('the engine when PostgreSQL closes its connections', () => {
  it('replaces a search connection the server closed and goes on answering', async () => {
    const fixture = await EngineFixture.start('store-readers');
    try {
      await fixture.client.deployResources([{ name: 'readers.bpmn', content: serviceTaskChain('readers', [{ id: 'work', type: 'readers-work' }]) }]);
      const first = await fixture.client.createProcessInstance({ processDefinitionId: 'readers', variables: {} });
      // A search leaves its connection idle in the pool.
      await eventually(async () => ((await fixture.instanceState(first.processInstanceKey)) === 'ACTIVE' ? true : undefined));
      const warn = jest.spyOn(fixture.logger, 'warn');

      expect(await terminate(fixture.database.url, STORE_APPLICATION_NAMES.readers)).toBeGreaterThan(0);
      // Heard by the idle client, reported, not raised as an unhandled error that would end the process.
      await eventually(() => Promise.resolve(warn.mock.calls.some((call) => String(call[1]).includes('closed a search connection')) ? true : undefined));

      const second = await fixture.client.createProcessInstance({ processDefinitionId: 'readers', variables: {} });
      await eventually(async () => ((await fixture.instanceState(second.processInstanceKey)) === 'ACTIVE' ? true : undefined));
      expect(await fixture.instanceState(first.processInstanceKey)).toBe('ACTIVE');
      warn.mockRestore();
    } finally {
      await fixture.stop();
    }
  });

  it('stops at once when its lock connection is closed, and the next start has what it acknowledged', async () => {
    const database = await createTestDatabase('store-lock');
    const port = await findFreePort();
    const start = async () => {
      const engine = LauncherProcess.startScript(path.join(REPOSITORY_ROOT, 'engine', 'src', 'main.ts'), { ENGINE_DATABASE_URL: database.url.href, ENGINE_PORT: String(port), LOG_LEVEL: 'info' });
      const client = new CamundaRestClient({ config: { ZEEBE_REST_ADDRESS: `http://127.0.0.1:${port}`, CAMUNDA_AUTH_STRATEGY: 'NONE', CAMUNDA_LOG_LEVEL: 'none' }, retry: ENGINE_CLIENT_RETRY });
      await eventually(() => client.getTopology().then((t) => t.clusterSize), 30_000);
      return { engine, client };
    };
    let running: LauncherProcess | undefined;
    try {
      const first = await start();
      running = first.engine;
      await first.client.deployResources([{ name: 'lock.bpmn', content: serviceTaskChain('lock', [{ id: 'work', type: 'lock-work' }]) }]);
      const created = await first.client.createProcessInstance({ processDefinitionId: 'lock', variables: { kept: true } });

      expect(await terminate(database.url, STORE_APPLICATION_NAMES.lock)).toBe(1);
      expect(await first.engine.exited).toEqual({ code: 1, signal: null });
      expect(first.engine.output.stdout).toContain('closed the engine’s lock connection');
      // Stopped without writing: no final snapshot after the lock was gone.
      expect(first.engine.output.stdout).not.toContain('snapshot written');

      const second = await start();
      running = second.engine;
      const found = await second.client.searchProcessInstances({ filter: { processInstanceKey: created.processInstanceKey } });
      expect(found.items.map((item) => item.state)).toEqual(['ACTIVE']);
    } finally {
      await running?.stop('SIGKILL');
      await database.drop();
    }
  }, 90_000);
});
