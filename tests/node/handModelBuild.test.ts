import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// models/hand-model.json is reproducible from the npm package by its build script, and readable
// from Python with numpy alone (the training side reads the same file).
const ROOT = new URL('../../', import.meta.url).pathname;
const TSX = createRequire(import.meta.url).resolve('tsx/cli');

describe('hand model build', () => {
  it('rebuilds byte for byte from @webxr-input-profiles/assets (scripts/build-hand-model.ts --check)', () => {
    const r = spawnSync(process.execPath, [TSX, 'scripts/build-hand-model.ts', '--check'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/up to date/);
  });

  // Debian's python3 with python3-numpy (scripts/setup-system.sh installs it); a python3 first on
  // PATH may be another install that cannot see Debian's packages
  it('reads with numpy (the snippet in models/README.md)', () => {
    const code = `
import base64, json, numpy as np
m = json.load(open('models/hand-model.json'))
def arr(a):
    dt = {'f32': '<f4', 'u16': '<u2', 'u8': 'u1'}[a['dtype']]
    return np.frombuffer(base64.b64decode(a['base64']), dt)
V = arr(m['vertices']).reshape(-1, 3)
F = arr(m['triangles']).reshape(-1, 3)
W = arr(m['skin']['weights']).reshape(-1, m['skin']['influences'])
J = np.array([j['position'] for j in m['joints']])
print(V.shape, F.shape, W.shape, J.shape, round(float(W.sum(1).mean()), 4), len(m['dofs']), len(m['shape']))
`;
    const r = spawnSync('/usr/bin/python3', ['-c', code], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('(1360, 3) (2314, 3) (1360, 4) (25, 3) 1.0 24 20');
  });
});
