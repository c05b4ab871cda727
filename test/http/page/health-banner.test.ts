import { afterEach, describe, expect, it } from 'vitest';
import { judgeHealth } from '../../../src/core/health.js';
import { FakeReadModel, summary } from '../../helpers/fake-read-model.js';
import { get, StatusPageServer } from '../../helpers/status-page.js';

const pages = new StatusPageServer();
afterEach(() => pages.close());

const report = (databaseProblem: string | null) =>
  judgeHealth(
    { databaseProblem, schedulerLatenessMs: 0, oldestDueAlertAt: null },
    { maxLatenessMs: 1_000, maxAlertAgeMs: 1_000 },
    0,
  );

describe('the status page while overdue itself is unhealthy', () => {
  it('says so above the list, with the reason', async () => {
    const model = Object.assign(new FakeReadModel([summary('db-backup')]), {
      health: () => report('disk full'),
    });
    const { body } = await get(`${await pages.serve(model)}/`);
    expect(body).toMatch(
      /<p class="error" role="alert">\s*overdue itself is unhealthy: database not writable: disk full\s*<\/p>/,
    );
  });

  it('says nothing while healthy', async () => {
    const model = Object.assign(new FakeReadModel([summary('db-backup')]), {
      health: () => report(null),
    });
    expect((await get(`${await pages.serve(model)}/`)).body).not.toContain('unhealthy');
  });
});
