import type { BackendName, FrameTimings, HandResult } from '../../core/types';
import type { BackendFallback, InferenceMode } from '../worker/protocol';

const BACKEND_LABELS: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };
const STAGES = ['input', 'detect', 'landmarks', 'mesh', 'post', 'total'] as const;
const STAGE_KEYS: Record<(typeof STAGES)[number], keyof FrameTimings> = {
  input: 'inputMs',
  detect: 'detectMs',
  landmarks: 'landmarksMs',
  mesh: 'meshMs',
  post: 'postMs',
  total: 'totalMs',
};

/**
 * "WebGPU unavailable: fell back to WebGL", or '' when the first choice ran. A GPU backend that
 * exists but runs in software (no GPU) is named as such, since that is what the user can act on.
 */
export function fallbackText(backend: BackendName, fallbacks: readonly BackendFallback[]): string {
  if (fallbacks.length === 0) return '';
  const isSoftware = (f: BackendFallback) => /software-rendered/.test(f.reason);
  const software = fallbacks.filter(isSoftware).map((f) => BACKEND_LABELS[f.name]);
  const missing = fallbacks.filter((f) => !isSoftware(f)).map((f) => BACKEND_LABELS[f.name]);
  const parts = [];
  if (missing.length) parts.push(`${missing.join(', ')} unavailable`);
  if (software.length) parts.push(`${software.join(' and ')} ${software.length > 1 ? 'have' : 'has'} no GPU here (software only)`);
  return `${parts.join('; ')}: fell back to ${BACKEND_LABELS[backend]}`;
}

/** Heads-up figures: speed, per-stage times, where inference runs, how many hands. */
export class Hud {
  private readonly fields = new Map<string, HTMLElement>();

  constructor(root: HTMLElement) {
    const row = (key: string, label: string, unit = '') => `<span class="hud-key">${label}</span><span><b data-hud="${key}">-</b>${unit}</span>`;
    root.innerHTML = `
      <div class="hud-grid">
        ${row('fps', 'FPS')}${row('hands', 'hands')}
        ${STAGES.map((s) => row(s, s, ' ms')).join('')}
        ${row('heads', 'heads')}
        ${row('fit', 'mesh fit')}
        ${row('backend', 'backend')}${row('threads', 'threads')}${row('mode', 'runs in')}
      </div>
      <div class="hud-note" data-hud="note"></div>
      <div class="hud-note" data-hud="mode-note"></div>`;
    for (const el of root.querySelectorAll<HTMLElement>('[data-hud]')) this.fields.set(el.dataset.hud!, el);
    this.set('backend', 'loading…');
    this.setHeads('off');
  }

  private set(key: string, text: string): void {
    const el = this.fields.get(key);
    if (el && el.textContent !== text) el.textContent = text;
  }

  setBackend(backend: BackendName, fallbacks: readonly BackendFallback[]): void {
    this.set('backend', BACKEND_LABELS[backend]);
    const note = fallbackText(backend, fallbacks);
    this.set('note', note);
    this.fields.get('note')!.title = fallbacks.map((f) => `${BACKEND_LABELS[f.name]}: ${f.reason}`).join('\n');
  }

  /**
   * The WASM backend's thread count (undefined: a GPU backend, where it means nothing); `note`
   * says why it is one, as the cell's tooltip.
   */
  setThreads(threads: number | undefined, note = ''): void {
    this.set('threads', threads === undefined ? '-' : String(threads));
    this.fields.get('threads')!.title =
      threads === undefined
        ? 'Threads apply to the WASM backend only.'
        : note
          ? `One thread: ${note}.`
          : `TF.js's WASM backend runs on ${threads} threads (SIMD).`;
  }

  /** No backend runs (the models failed to load, or are being loaded again). */
  setBackendPending(text: string): void {
    this.set('backend', text);
  }

  /** `why`: the reason inference is not in a worker ('' when it is). */
  setMode(mode: InferenceMode, why: string): void {
    this.set('mode', mode === 'worker' ? 'worker' : 'main thread');
    this.set('mode-note', mode === 'worker' ? '' : `Main thread: ${why}; the page may stutter while a frame is analysed.`);
  }

  /**
   * Whether the multi-task heads (mask, heat maps) run: they run inside the landmarks stage, so its
   * time includes theirs ('lite': they cannot run with the lite landmark model).
   */
  setHeads(state: 'on' | 'off' | 'lite'): void {
    this.set('heads', state === 'on' ? 'on' : state === 'off' ? 'off' : 'off (lite model)');
    this.fields.get('heads')!.title =
      state === 'on'
        ? 'The multi-task heads (mask, heat maps, refined keypoints) run on every hand; their time is part of the landmarks stage.'
        : state === 'off'
          ? 'The multi-task heads are off (no Mask or Heat maps layer shown, and a video or "Best quality on photos" off): they cost nothing.'
          : 'The multi-task heads need the full landmark model; with "lite" they do not run.';
  }

  /** `fps` null: a still image, where a rate means nothing. */
  setFrame(timings: FrameTimings, hands: readonly HandResult[], fps: number | null): void {
    for (const s of STAGES) this.set(s, timings[STAGE_KEYS[s]].toFixed(1));
    this.set('hands', String(hands.length));
    // the fit residual of the first meshed hand: 3D (mm, against its 3D keypoints) and 2D (px)
    const mesh = hands.find((h) => h.mesh)?.mesh;
    this.set('fit', mesh ? `${mesh.residualMm.toFixed(1)} mm, ${mesh.residualPx.toFixed(1)} px` : '-');
    this.fields.get('fit')!.title = mesh
      ? `first hand's mesh: mean keypoint distance ${mesh.residualMm.toFixed(2)} mm in 3D, ${mesh.residualPx.toFixed(2)} px in the image; wrist depth ${(100 * mesh.wristDepth).toFixed(0)} cm`
      : '';
    this.setFps(fps);
  }

  setFps(fps: number | null): void {
    this.set('fps', fps === null ? '-' : fps.toFixed(1));
  }
}
