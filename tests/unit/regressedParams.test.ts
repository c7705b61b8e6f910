import { describe, expect, it } from 'vitest';
import { matMul3, rotationFromVector, type Mat3 } from '../../src/core/handModel/math';
import { regressedParams } from '../../src/core/multitask/regressedParams';

// The regressor predicts the hand's rotation in the crop's axes (p_crop = C p_cam, C the in-plane
// rotation by the ROI angle, training/handsynth/labels.py crop_rotation); the app needs it in the
// camera's. Checked against a rotation built the way the training targets are.
describe('regressedParams', () => {
  it('turns a crop-frame rotation back into the camera frame and unpacks pose and shape', () => {
    const rCam: [number, number, number] = [0.4, -1.1, 0.7];
    const theta = 0.9;
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    const C: Mat3 = [c, s, 0, -s, c, 0, 0, 0, 1];
    const rCrop = matMul3(C, rotationFromVector(rCam));
    // axis-angle of rCrop, via the inverse formula (trace / skew part)
    const angle = Math.acos((rCrop[0] + rCrop[4] + rCrop[8] - 1) / 2);
    const k = angle / (2 * Math.sin(angle));
    const v = [k * (rCrop[7] - rCrop[5]), k * (rCrop[2] - rCrop[6]), k * (rCrop[3] - rCrop[1])];
    const dofs = 24;
    const shapes = 20;
    const vec = [...v, ...Array.from({ length: dofs }, (_, i) => 0.01 * i), ...Array.from({ length: shapes }, (_, i) => -0.005 * i), 0.1];
    const p = regressedParams(vec, theta, 'left', dofs, shapes)!;
    const got = rotationFromVector(p.globalRotation);
    const want = rotationFromVector(rCam);
    got.forEach((x, i) => expect(x).toBeCloseTo(want[i], 6));
    expect(p.handedness).toBe('left');
    expect(p.pose[5]).toBeCloseTo(0.05, 6);
    expect(p.boneScales[4]).toBeCloseTo(0.98, 6);
    expect(p.globalScale).toBeCloseTo(1.1, 6);
    expect(p.translation).toEqual([0, 0, 0]);
  });

  it('refuses a vector that does not match the model', () => {
    expect(regressedParams(new Float32Array(47), 0, 'right', 24, 20)).toBeUndefined();
  });
});
