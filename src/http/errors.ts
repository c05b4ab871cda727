// The engine answers with coded failures; this is the one place that turns a code into a status.
import type { ErrorCode } from '../engine/read-model.js';

const STATUSES: Readonly<Record<ErrorCode, number>> = {
  'not-found': 404,
  conflict: 409,
};

export function statusOf(code: ErrorCode): number {
  return STATUSES[code];
}
