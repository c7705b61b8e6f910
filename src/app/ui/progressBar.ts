/** Model download progress in bytes. */
export class ProgressBar {
  private readonly fill: HTMLElement;
  private readonly text: HTMLElement;

  constructor(private readonly root: HTMLElement) {
    this.fill = root.querySelector('.progress-fill')!;
    this.text = root.querySelector('.progress-text')!;
  }

  show(loaded: number, total: number, file: string): void {
    const fraction = total > 0 ? Math.min(1, loaded / total) : 0;
    this.root.hidden = false;
    this.root.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
    this.fill.style.width = `${(fraction * 100).toFixed(1)}%`;
    this.text.textContent = `Loading hand models: ${(loaded / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB (${file})`;
  }

  /** After the bytes arrived: building the models and compiling GPU programs. `fraction`: where the bar stands (unchanged when omitted). */
  message(text: string, fraction?: number): void {
    this.root.hidden = false;
    this.text.textContent = text;
    if (fraction !== undefined) {
      this.fill.style.width = `${(Math.min(1, Math.max(0, fraction)) * 100).toFixed(1)}%`;
      this.root.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
    }
  }

  hide(): void {
    this.root.hidden = true;
  }
}
