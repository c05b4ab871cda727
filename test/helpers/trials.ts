// Shared by the reliability suite: a seeded PRNG (the seed is printed, so a failing trial can be
// run again with OVERDUE_SEED=<seed>) and the figures each file writes to build/reliability/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The seed of this run: OVERDUE_SEED when given, otherwise a fresh one. Printed by the caller. */
export function trialSeed(): number {
  const given = process.env.OVERDUE_SEED;
  return given === undefined || given === '' ? Date.now() % 2_147_483_647 : Number(given);
}

/** An integer in [min, max], drawn from `random`. */
export function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Writes a file's figures to build/reliability/<name>.json, for the README and for CI. */
export function writeFigures(name: string, figures: object): void {
  const dir = join(process.cwd(), 'build', 'reliability');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(figures, null, 2) + '\n');
}
