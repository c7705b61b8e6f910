import type { ErrorPayload } from '../worker/protocol';

export interface BannerAction {
  label: string;
  run: () => void;
}

/** One dismissable error message with what to do about it, and optionally a button (Retry). */
export class Banner {
  private readonly message: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly action: HTMLButtonElement;
  private onAction: (() => void) | null = null;

  constructor(private readonly root: HTMLElement) {
    this.message = root.querySelector('.banner-message')!;
    this.hint = root.querySelector('.banner-hint')!;
    this.action = root.querySelector('.banner-action')!;
    root.querySelector('.banner-close')!.addEventListener('click', () => this.dismiss());
    this.action.addEventListener('click', () => {
      const run = this.onAction;
      this.dismiss();
      run?.();
    });
  }

  show(error: ErrorPayload, action?: BannerAction): void {
    this.root.dataset.code = error.code;
    this.message.textContent = error.message;
    this.hint.textContent = error.hint ? ` ${error.hint}` : '';
    this.onAction = action?.run ?? null;
    this.action.hidden = !action;
    this.action.textContent = action?.label ?? '';
    this.root.hidden = false;
  }

  /** Hides the banner (only if it still shows `code`, when given). */
  dismiss(code?: string): void {
    if (code && this.root.dataset.code !== code) return;
    this.root.hidden = true;
    this.onAction = null;
    delete this.root.dataset.code;
  }
}
