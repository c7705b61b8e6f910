import { describe, expect, it } from 'vitest';
import * as cli from '../../src/cli/meshExport';
import * as page from '../../src/render/meshExport';
import { HAND_COLORS } from '../../src/render/palette';

// The command line (`hands analyze --mesh`) and the page's Export menu write a hand's mesh with
// one exporter: the same bytes for the same hand, in the layers' colours.

/** A small closed mesh in front of the camera (camera frame: z forward), counter-clockwise outside. */
function tetra(name: string, handedness: 'left' | 'right', dx: number): page.ExportHand {
  const vertices = new Float32Array([0, 0, 0.5, 0.05, 0, 0.5, 0, 0.05, 0.5, 0, 0, 0.55].map((v, i) => (i % 3 === 0 ? v + dx : v)));
  return { name, vertices, triangles: new Uint16Array([0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3]), handedness };
}

const hands = [tetra('hand1-left', 'left', -0.1), tetra('hand2-right', 'right', 0.1)];
const camera = { width: 640, height: 480, fovDegrees: 60 };

/** The JSON chunk of a GLB. */
function glbJson(bytes: Uint8Array): {
  materials: Array<{ pbrMetallicRoughness: { baseColorFactor: number[] } }>;
  meshes: Array<{ primitives: Array<{ material: number }> }>;
  nodes: Array<{ name: string; mesh?: number }>;
} {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('glTF');
  const length = view.getUint32(12, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + length)));
}

describe('mesh export: one exporter for the CLI and the page', () => {
  it('writes the same GLB bytes from both', async () => {
    const fromCli = await cli.handsToGlb(hands, camera);
    const fromPage = await page.handsToGlb(hands, camera);
    expect(fromCli.byteLength).toBeGreaterThan(0);
    expect(Buffer.from(fromCli).equals(Buffer.from(fromPage))).toBe(true);
  });

  it("colours each hand by its label with the layers' palette", async () => {
    const gltf = glbJson(await cli.handsToGlb(hands, camera));
    const nodes = gltf.nodes.filter((n) => n.mesh !== undefined);
    expect(nodes.map((n) => n.name)).toEqual(['hand1-left', 'hand2-right']);
    nodes.forEach((n, i) => {
      const c = HAND_COLORS[hands[i].handedness];
      const rgba = gltf.materials[gltf.meshes[n.mesh!].primitives[0].material].pbrMetallicRoughness.baseColorFactor;
      expect(rgba.slice(0, 3).map((v) => v.toFixed(5))).toEqual([c.r, c.g, c.b].map((v) => v.toFixed(5)));
    });
  });

  it('writes the same OBJ text from both', () => {
    const text = cli.handsToObj(hands);
    expect(text).toBe(page.handsToObj(hands));
    expect(text.split('\n').filter((l) => l.startsWith('o '))).toEqual(['o hand1-left', 'o hand2-right']);
    // glTF / three frame: y up, in front of the camera is -z
    expect(
      text
        .split('\n')
        .filter((l) => l.startsWith('v '))
        .every((l) => Number(l.split(' ')[3]) < 0),
    ).toBe(true);
  });

  it("names and colours a hand by its label, with the fitted model's triangles", () => {
    const t = tetra('x', 'right', 0);
    // a wrong label: the 3D keypoints only fit the mirror-image (right) model
    const h = { id: 3, handedness: 'left', mesh: { handedness: 'right', vertices: t.vertices } } as page.MeshedHand;
    expect(cli.exportHand(h, t.triangles)).toEqual({ name: 'hand3-left', vertices: t.vertices, triangles: t.triangles, handedness: 'left' });
  });
});
