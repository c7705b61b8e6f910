/**
 * WebXR hand joint names (the XRHand order, https://www.w3.org/TR/webxr-hand-input-1/#skeleton-joints-section)
 * and the finger chains the hand model is built from. Everything maps by name, never by index.
 */
export const WEBXR_JOINT_NAMES = [
  'wrist',
  'thumb-metacarpal',
  'thumb-phalanx-proximal',
  'thumb-phalanx-distal',
  'thumb-tip',
  'index-finger-metacarpal',
  'index-finger-phalanx-proximal',
  'index-finger-phalanx-intermediate',
  'index-finger-phalanx-distal',
  'index-finger-tip',
  'middle-finger-metacarpal',
  'middle-finger-phalanx-proximal',
  'middle-finger-phalanx-intermediate',
  'middle-finger-phalanx-distal',
  'middle-finger-tip',
  'ring-finger-metacarpal',
  'ring-finger-phalanx-proximal',
  'ring-finger-phalanx-intermediate',
  'ring-finger-phalanx-distal',
  'ring-finger-tip',
  'pinky-finger-metacarpal',
  'pinky-finger-phalanx-proximal',
  'pinky-finger-phalanx-intermediate',
  'pinky-finger-phalanx-distal',
  'pinky-finger-tip',
] as const;

export type WebXRJointName = (typeof WEBXR_JOINT_NAMES)[number];

export const FINGERS = ['thumb', 'index', 'middle', 'ring', 'pinky'] as const;
export type Finger = (typeof FINGERS)[number];

/**
 * Per finger, the joints from the wrist outwards. The thumb has one bone fewer than the fingers
 * (WebXR has no thumb intermediate phalanx), so its chain is one shorter.
 */
export const FINGER_CHAINS: Record<Finger, readonly WebXRJointName[]> = {
  thumb: ['thumb-metacarpal', 'thumb-phalanx-proximal', 'thumb-phalanx-distal', 'thumb-tip'],
  index: ['index-finger-metacarpal', 'index-finger-phalanx-proximal', 'index-finger-phalanx-intermediate', 'index-finger-phalanx-distal', 'index-finger-tip'],
  middle: [
    'middle-finger-metacarpal',
    'middle-finger-phalanx-proximal',
    'middle-finger-phalanx-intermediate',
    'middle-finger-phalanx-distal',
    'middle-finger-tip',
  ],
  ring: ['ring-finger-metacarpal', 'ring-finger-phalanx-proximal', 'ring-finger-phalanx-intermediate', 'ring-finger-phalanx-distal', 'ring-finger-tip'],
  pinky: ['pinky-finger-metacarpal', 'pinky-finger-phalanx-proximal', 'pinky-finger-phalanx-intermediate', 'pinky-finger-phalanx-distal', 'pinky-finger-tip'],
};

/** Parent of a WebXR joint by the naming rule (the glb stores all joints flat under the armature). */
export function webxrParent(name: WebXRJointName): WebXRJointName | null {
  if (name === 'wrist') return null;
  for (const chain of Object.values(FINGER_CHAINS)) {
    const i = chain.indexOf(name);
    if (i >= 0) return i === 0 ? 'wrist' : chain[i - 1];
  }
  throw new Error(`not a WebXR hand joint: ${name}`);
}
