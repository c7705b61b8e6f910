import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/core/config';
import { HandsError } from '../../src/core/errors';
import { cameraFromFov, DEFAULT_FOV_DEGREES, projectPoint, projectPoints, solveTranslation } from '../../src/core/handModel/camera';
import type { Vec3 } from '../../src/core/handModel/math';

describe('pinhole camera', () => {
  it('has the documented default field of view and a centred principal point', () => {
    expect(DEFAULT_FOV_DEGREES).toBe(60);
    const cam = cameraFromFov(640, 480);
    expect(cam.cx).toBe(320);
    expect(cam.cy).toBe(240);
    expect(cam.fx).toBeCloseTo(320 / Math.tan(Math.PI / 6), 9);
    expect(cam.fy).toBe(cam.fx);
    // a point on the edge of the field of view lands on the image edge
    expect(projectPoint(cam, [Math.tan(Math.PI / 6), 0, 1])[0]).toBeCloseTo(640, 9);
    expect(() => cameraFromFov(640, 480, 0)).toThrow();
  });

  it('projects points and scales with the image (same field of view)', () => {
    const a = projectPoints(cameraFromFov(100, 50, 70), [0.1, 0.05, 0.5]);
    const b = projectPoints(cameraFromFov(200, 100, 70), [0.1, 0.05, 0.5]);
    expect(b[0]).toBeCloseTo(2 * a[0], 4);
    expect(b[1]).toBeCloseTo(2 * a[1], 4);
  });

  it('solves the translation that projects root-relative 3D points onto their pixels', () => {
    const cam = cameraFromFov(1280, 720, 65);
    const rel: Vec3[] = Array.from({ length: 21 }, (_, i) => [0.04 * Math.sin(i), 0.08 * Math.cos(1.3 * i) - 0.05, 0.02 * Math.sin(2.1 * i)]);
    const t: Vec3 = [-0.08, 0.05, 0.45];
    const uv = rel.map((p) => projectPoint(cam, [p[0] + t[0], p[1] + t[1], p[2] + t[2]]));
    const got = solveTranslation(cam, rel, uv)!;
    for (let k = 0; k < 3; k++) expect(got[k]).toBeCloseTo(t[k], 6);
  });

  it('refuses a hand behind the camera', () => {
    const cam = cameraFromFov(100, 100);
    const rel: Vec3[] = [
      [0, 0, 0],
      [0.01, 0, 0],
      [0, 0.01, 0],
    ];
    const uv = rel.map((p) => projectPoint(cam, [p[0], p[1], p[2] - 0.5]));
    expect(solveTranslation(cam, rel, uv)).toBeNull();
  });
});

describe('pipeline config: mesh section', () => {
  it('is off by default with documented defaults', () => {
    expect(DEFAULT_CONFIG.mesh).toEqual({
      enabled: false,
      iterations: 16,
      fovDegrees: 60,
      start: 'best',
      maskWeight: 0,
      maskCoverage: 1,
      keypoints3d: false,
      thickness: true,
    });
    expect(resolveConfig().mesh).toEqual(DEFAULT_CONFIG.mesh);
  });

  it('merges partial options', () => {
    const c = resolveConfig({ mesh: { enabled: true } });
    expect(c.mesh).toEqual({
      enabled: true,
      iterations: 16,
      fovDegrees: 60,
      start: 'best',
      maskWeight: 0,
      maskCoverage: 1,
      keypoints3d: false,
      thickness: true,
    });
    expect(resolveConfig({ mesh: { fovDegrees: 75 } }, c).mesh).toEqual({
      enabled: true,
      iterations: 16,
      fovDegrees: 75,
      start: 'best',
      maskWeight: 0,
      maskCoverage: 1,
      keypoints3d: false,
      thickness: true,
    });
  });

  it.each([
    [{ mesh: { enabled: 1 } }, /mesh.enabled must be true or false/],
    [{ mesh: { iterations: 0 } }, /mesh.iterations must be an integer in \[1, 100\]/],
    [{ mesh: { thickness: 'yes' } }, /mesh.thickness must be true or false/],
    [{ mesh: { iterations: 2.5 } }, /mesh.iterations/],
    [{ mesh: { fovDegrees: 180 } }, /mesh.fovDegrees must be a number in \[10, 150\]/],
    [{ mesh: { fov: 60 } }, /mesh.fov must be one of the known options/],
    [{ mesh: { start: 'random' } }, /mesh.start must be "best" or "regressor"/],
    [{ mesh: { maskCoverage: -1 } }, /mesh.maskCoverage must be a number in \[0, 100\]/],
    [{ mesh: true }, /mesh must be an object/],
  ])('rejects %j', (partial, message) => {
    let err: unknown;
    try {
      resolveConfig(partial as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HandsError);
    expect((err as HandsError).code).toBe('invalid-config');
    expect((err as HandsError).message).toMatch(message);
  });
});
