import type { FrameResult } from '../core/types';

/**
 * What the end-to-end tests read: body[data-state] ('loading' | 'ready' | 'error'),
 * body[data-hands] after each result, and the last result itself.
 */
declare global {
  interface Window {
    __handsLastResult?: FrameResult;
  }
}

export type PageState = 'loading' | 'ready' | 'error';

export function publishState(state: PageState): void {
  document.body.dataset.state = state;
}

export function publishResult(result: FrameResult): void {
  window.__handsLastResult = result;
  document.body.dataset.hands = String(result.hands.length);
}
