import { afterEach, describe, expect, it } from 'vitest';
import { FakeReadModel, summary } from '../../helpers/fake-read-model.js';
import { get, StatusPageServer } from '../../helpers/status-page.js';

const pages = new StatusPageServer();
afterEach(() => pages.close());

describe('a monitor page with run rules', () => {
  it('shows min-runtime and early among the facts', async () => {
    const model = new FakeReadModel([
      summary('db-backup', { minRuntimeMs: 30_000, earlyMs: 600_000 }),
    ]);
    const url = await pages.serve(model);
    const { body } = await get(`${url}/monitors/db-backup`);
    expect(body).toMatch(/<dt>Run rules<\/dt>\s*<dd>min-runtime 30s, early 10m<\/dd>/);
  });

  it('shows no run rules for a monitor without them', async () => {
    const url = await pages.serve(new FakeReadModel([summary('db-backup')]));
    expect((await get(`${url}/monitors/db-backup`)).body).not.toContain('Run rules');
  });
});

describe('a monitor page with depends-on', () => {
  it('shows the parents, and which one suppresses its down', async () => {
    const model = new FakeReadModel([
      summary('db-backup', { status: 'down', dependsOn: ['router', 'nas'], suppressedBy: 'nas' }),
    ]);
    model.transitionRows = [
      {
        id: 1,
        at: 0,
        from: 'up',
        to: 'down',
        reason: 'timeout',
        deadlineAt: null,
        alert: null,
        parent: 'nas',
      },
    ];
    const url = await pages.serve(model);
    const { body } = await get(`${url}/monitors/db-backup`);
    expect(body).toMatch(
      /<dt>Depends on<\/dt>\s*<dd>router, nas \(its down is suppressed: nas is down\)<\/dd>/,
    );
    expect(body).toMatch(/<td data-label="Alert">\s*suppressed by nas\s*<\/td>/);
  });
});
