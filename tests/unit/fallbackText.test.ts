import { describe, expect, it } from 'vitest';
import { fallbackText } from '../../src/app/ui/hud';

const software = (name: 'webgpu' | 'webgl') => ({ name, reason: `${name} is software-rendered here (swiftshader, no GPU), slower than WASM` });

describe("the HUD's backend note", () => {
  it('is empty when the first choice ran', () => {
    expect(fallbackText('webgpu', [])).toBe('');
  });

  it('names missing backends and software-only ones apart', () => {
    expect(fallbackText('wasm', [{ name: 'webgpu', reason: 'no adapter' }, software('webgl')])).toBe(
      'WebGPU unavailable; WebGL has no GPU here (software only): fell back to WASM',
    );
    // headless chromium with --enable-unsafe-webgpu: SwiftShader behind both
    expect(fallbackText('wasm', [software('webgpu'), software('webgl')])).toBe('WebGPU and WebGL have no GPU here (software only): fell back to WASM');
    expect(fallbackText('webgl', [software('webgpu')])).toBe('WebGPU has no GPU here (software only): fell back to WebGL');
  });
});
