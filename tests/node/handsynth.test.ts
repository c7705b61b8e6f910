import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The synthetic hand data engine (training/handsynth, Debian's python3 + numpy + PIL; installed by
// scripts/setup-system.sh). A python3 first on PATH may be another install without Debian's
// packages, hence /usr/bin/python3.
const ROOT = new URL('../../', import.meta.url).pathname;
const TSX = createRequire(import.meta.url).resolve('tsx/cli');
const PY = '/usr/bin/python3';
const tmp = mkdtempSync(join(tmpdir(), 'handsynth-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('synthetic data engine (training/handsynth)', () => {
  it('forward kinematics, skinning and the crop geometry equal the TypeScript ones (1e-6 m / px)', () => {
    const out = join(tmp, 'fk.json');
    const ts = spawnSync(process.execPath, [TSX, 'training/tools/fk-reference.ts', out], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(ts.status, ts.stderr).toBe(0);
    const py = spawnSync(PY, ['-m', 'handsynth', 'parity', out, '--tol', '1e-6'], { cwd: join(ROOT, 'training'), encoding: 'utf8', timeout: 60_000 });
    expect(py.status, py.stdout + py.stderr).toBe(0);
    const r = JSON.parse(py.stdout.trim().split('\n').pop() as string);
    expect(r.ok).toBe(true);
    expect(r.cases).toBeGreaterThanOrEqual(10);
    for (const v of Object.values(r.maxAbsDiffMetres) as number[]) expect(v).toBeLessThan(1e-6);
  });

  it('labels are consistent and renders reproducible (python unittest)', () => {
    const r = spawnSync(PY, ['-m', 'unittest', 'discover', '-s', 'tests', '-v'], { cwd: join(ROOT, 'training'), encoding: 'utf8', timeout: 240_000 });
    expect(r.status, r.stderr.slice(-4000)).toBe(0);
    expect(r.stderr).toMatch(/Ran \d+ tests/);
    expect(r.stderr).toMatch(/\nOK/);
  }, 300_000);
});
