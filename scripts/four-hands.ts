/**
 * Writes a four-hand photo for `hands bench --image` and by-eye checks at maxHands 4:
 * tests/fixtures/hands.jpg (Apache-2.0) above its own mirror image, as tests/node/fourHands.test.ts
 * builds it. Usage: npx tsx scripts/four-hands.ts [out.jpg] (default .cache/four-hands.jpg).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { REPO_ROOT } from '../src/cli/paths';

const out = process.argv[2] ?? join(REPO_ROOT, '.cache/four-hands.jpg');
const photo = join(REPO_ROOT, 'tests/fixtures/hands.jpg');
const { width, height } = await sharp(photo).metadata();
if (!width || !height) throw new Error(`${photo}: no size`);
mkdirSync(dirname(out), { recursive: true });
await sharp({ create: { width, height: 2 * height, channels: 3, background: '#000' } })
  .composite([
    { input: await sharp(photo).toBuffer(), left: 0, top: 0 },
    { input: await sharp(photo).flop().toBuffer(), left: 0, top: height },
  ])
  .jpeg({ quality: 95 })
  .toFile(out);
console.log(`${out}: ${width} x ${2 * height}, four hands`);
