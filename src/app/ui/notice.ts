/** A short, self-dismissing status line (not an error): "Saved hands.glb", "No hand to export yet…". */
export class Notice {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly root: HTMLElement) {}

  show(text: string, kind: 'info' | 'warn' = 'info', ms = 5000): void {
    clearTimeout(this.timer);
    this.root.textContent = text;
    this.root.dataset.kind = kind;
    this.root.hidden = false;
    this.timer = setTimeout(() => (this.root.hidden = true), ms);
  }

  hide(): void {
    clearTimeout(this.timer);
    this.root.hidden = true;
  }
}
