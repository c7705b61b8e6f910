import type { HandPipeline } from '../../core/pipeline';
import type { MeshTopology } from '../../render/meshTopology';

/**
 * The pipeline's mesh template as the page needs it (copies: the page may keep them, and
 * postMessage must never detach the pipeline's own arrays), or null before the mesh stage loaded.
 */
export function meshTopologyOf(pipeline: HandPipeline): MeshTopology | null {
  const right = pipeline.meshModel('right');
  const left = pipeline.meshModel('left');
  if (!right || !left) return null;
  return {
    vertexCount: right.vertices.length / 3,
    triangles: { right: right.triangles.slice(), left: left.triangles.slice() },
    keypointVertices: Int16Array.from(right.keypoints, (k) => k.vertex),
  };
}
