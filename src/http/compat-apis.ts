// The APIs other systems' tools speak, mounted beside overdue's own (see server.ts): Healthchecks'
// management API (read-only), Tickstem's heartbeat API, and Gatus' endpoint statuses.
import type { App } from '@tinyhttp/app';
import type { Provisioner } from '../engine/intake.js';
import type { ReadModel } from '../engine/read-model.js';
import type { CompatAuthDeps } from './compat-auth.js';
import { handleGatusStatuses } from './gatus-status.js';
import { HealthchecksApi } from './healthchecks-api.js';
import type { HttpSettings } from './settings.js';
import { TickstemApi } from './tickstem-api.js';

export interface CompatApiDeps extends CompatAuthDeps {
  readonly read: ReadModel;
  readonly settings: () => HttpSettings;
  readonly provisioner: Provisioner;
}

export function mountCompatApis(app: App, deps: CompatApiDeps): void {
  const configFile = () => deps.settings().configFile;
  const hc = new HealthchecksApi({ ...deps, baseUrl: () => deps.settings().baseUrl, configFile });
  app.get('/api/:version/checks', (req, res) => hc.list(req, res));
  app.get('/api/:version/checks/:id', (req, res) => hc.check(req, res));
  app.post('/api/:version/checks', (req, res) => hc.write(req, res));
  app.post('/api/:version/checks/:id', (req, res) => hc.write(req, res));
  app.post('/api/:version/checks/:id/:action', (req, res) => hc.write(req, res));
  app.delete('/api/:version/checks/:id', (req, res) => hc.write(req, res));
  const ts = new TickstemApi({ ...deps, configFile });
  app.get('/v1/heartbeats', (req, res) => ts.list(req, res));
  app.get('/v1/heartbeats/:id', (req, res) => ts.get(req, res));
  app.get('/v1/heartbeats/:id/pings', (req, res) => ts.pings(req, res));
  app.post('/v1/heartbeats/:id/pause', (req, res) => ts.action(req, res, 'pause'));
  app.post('/v1/heartbeats/:id/resume', (req, res) => ts.action(req, res, 'resume'));
  app.patch('/v1/heartbeats/:id', (req, res) => ts.update(req, res));
  app.delete('/v1/heartbeats/:id', (req, res) => ts.remove(req, res));
  app.get('/api/v1/endpoints/statuses', (req, res) => handleGatusStatuses(deps, req, res));
}
