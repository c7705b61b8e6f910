import type { GestureLabel } from './types';

/** How a label reads for people (the page, the CLI's text output): 'Thumb_Up' -> 'Thumb up'. */
export function gestureDisplayName(label: GestureLabel): string {
  const words = label.replace(/_/g, ' ').toLowerCase();
  return label === 'ILoveYou' ? 'I love you' : words[0].toUpperCase() + words.slice(1);
}
