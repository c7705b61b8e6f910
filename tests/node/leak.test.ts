import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/cli/decodeImage';
import { FIXTURES, nodePipeline } from '../helpers/nodePipeline';

// Leak test (tfjs-models style): the tensor count is unchanged after a frame, and after dispose()
// it is back where it was before the pipeline was created.
describe('tensor leaks', () => {
  it('frames leave no tensors behind; dispose frees the models', async () => {
    await tf.ready().catch(() => undefined);
    const before = tf.memory().numTensors;
    const pipeline = await nodePipeline();
    const img = await decodeImageFile(`${FIXTURES}hands.jpg`);
    await pipeline.warmup();
    const loaded = tf.memory().numTensors;
    expect(loaded).toBeGreaterThan(before);

    const r1 = await pipeline.estimate(img.tensor, { mode: 'image' });
    expect(r1.hands).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(loaded);

    for (let i = 0; i < 5; i++) await pipeline.estimate(img.tensor, { mode: 'video', timestampMs: i * 33 });
    expect(tf.memory().numTensors).toBe(loaded);

    // a frame that fails (wrong shape) must not leak either
    const bad = tf.zeros([8, 8, 4]) as tf.Tensor3D;
    await expect(pipeline.estimate(bad, { mode: 'image' })).rejects.toThrow(/RGB image/);
    bad.dispose();
    expect(tf.memory().numTensors).toBe(loaded);

    img.tensor.dispose();
    pipeline.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
