import { Group } from 'three';
import { CSS2DObject } from 'three/examples/jsm/renderers/CSS2DRenderer.js';
import type { HandResult } from '../core/types';
import { HAND_CSS_COLORS, MAX_HANDS } from './palette';

/** Text last written to a label, so the DOM is touched only when the text changes. */
interface Slot {
  label: CSS2DObject;
  text: string;
  side: string;
}

/**
 * "Right 0.98 #1" above each hand: handedness (of the real hand), its probability and the track
 * id. HTML labels positioned by CSS2DRenderer, so they stay readable when the view is mirrored.
 */
export class LabelsLayer {
  readonly object = new Group();
  private readonly slots: Slot[] = [];

  constructor() {
    for (let i = 0; i < MAX_HANDS; i++) {
      const el = document.createElement('div');
      el.className = 'hand-label';
      const label = new CSS2DObject(el);
      label.center.set(0.5, 1); // bottom-centre of the label sits on the box's top edge
      label.visible = false;
      this.object.add(label);
      this.slots.push({ label, text: '', side: '' });
    }
  }

  update(hands: readonly HandResult[]): void {
    for (let i = 0; i < MAX_HANDS; i++) {
      const slot = this.slots[i];
      const hand = i < hands.length ? hands[i] : undefined;
      slot.label.visible = hand !== undefined;
      if (!hand) continue;
      slot.label.position.set((hand.box.xMin + hand.box.xMax) / 2, hand.box.yMin - 6, 0);
      const text = `${hand.handedness === 'right' ? 'Right' : 'Left'} ${hand.handednessScore.toFixed(2)} #${hand.id}`;
      if (text !== slot.text) {
        slot.text = text;
        slot.label.element.textContent = text;
        slot.label.element.title = `hand presence ${hand.score.toFixed(2)}, track id ${hand.id}`;
      }
      if (hand.handedness !== slot.side) {
        slot.side = hand.handedness;
        slot.label.element.style.borderColor = HAND_CSS_COLORS[hand.handedness];
      }
    }
  }
}
