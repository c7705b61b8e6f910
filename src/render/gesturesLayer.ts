import { Group } from 'three';
import { CSS2DObject } from 'three/examples/jsm/renderers/CSS2DRenderer.js';
import { gestureDisplayName } from '../core/gesture/names';
import type { HandResult } from '../core/types';
import { HAND_CSS_COLORS, MAX_HANDS } from './palette';

interface Slot {
  label: CSS2DObject;
  name: HTMLElement;
  fill: HTMLElement;
  text: string;
  /** Pinch gauge width last written (percent, integer): the DOM is touched only when it changes. */
  gauge: number;
  side: string;
}

/**
 * What each hand is doing, under the hand: the gesture label with its score, and a pinch gauge
 * (thumb tip to index tip: empty = apart, full = touching). HTML labels placed by CSS2DRenderer like
 * LabelsLayer, so they stay readable when the view is mirrored; a fixed pool of MAX_HANDS slots.
 */
export class GesturesLayer {
  readonly object = new Group();
  private readonly slots: Slot[] = [];

  constructor() {
    for (let i = 0; i < MAX_HANDS; i++) {
      const el = document.createElement('div');
      el.className = 'gesture-label';
      const name = document.createElement('span');
      name.className = 'gesture-name';
      const gauge = document.createElement('div');
      gauge.className = 'pinch-gauge';
      gauge.title = 'Pinch: thumb tip to index tip (full = touching)';
      const fill = document.createElement('div');
      fill.className = 'pinch-fill';
      gauge.append(fill);
      el.append(name, gauge);
      const label = new CSS2DObject(el);
      label.center.set(0.5, 0); // top-centre of the label sits under the box's bottom edge
      label.visible = false;
      this.object.add(label);
      this.slots.push({ label, name, fill, text: '', gauge: -1, side: '' });
    }
  }

  update(hands: readonly HandResult[]): void {
    for (let i = 0; i < MAX_HANDS; i++) {
      const slot = this.slots[i];
      const hand = i < hands.length ? hands[i] : undefined;
      const g = hand?.gesture;
      slot.label.visible = g !== undefined;
      if (!hand || !g) continue;
      slot.label.position.set((hand.box.xMin + hand.box.xMax) / 2, hand.box.yMax + 6, 0);
      const text = `${gestureDisplayName(g.label)} ${g.score.toFixed(2)}`;
      if (text !== slot.text) {
        slot.text = text;
        slot.name.textContent = text;
        slot.label.element.dataset.gesture = g.label;
      }
      const gauge = Math.round(g.pinch.strength * 100);
      if (gauge !== slot.gauge) {
        slot.gauge = gauge;
        slot.fill.style.width = `${gauge}%`;
        slot.label.element.dataset.pinch = String(gauge);
      }
      if (hand.handedness !== slot.side) {
        slot.side = hand.handedness;
        slot.label.element.style.borderColor = HAND_CSS_COLORS[hand.handedness];
      }
    }
  }
}
