import { parseArgs } from 'node:util';
import { HandsError } from '../core/errors';
import type { DeepPartial, PipelineConfig } from '../core/config';
import { analyze } from './analyze';
import { bench, DEFAULT_BENCH_IMAGE, DEFAULT_BENCH_VIDEO, formatBench } from './bench';
import { EXIT, exitCodeFor } from './exitCodes';

const HELP = `hands: find hands in images with the same pipeline the web page runs (TF.js, WASM, local files only).

Usage:
  hands analyze <image...> [--json out.json|-] [--overlay out.png|dir] [--max-hands N] [--model full|lite]
  hands bench [--frames N] [--warmup N] [--json out.json] [--model full|lite] [--image F] [--video F]

Options:
  --json PATH      write results (keypoints in image pixels, 3D keypoints in metres) as JSON; - = stdout
  --overlay PATH   draw the hands on the photo: a .png path for one image, or a folder for several
  --max-hands N    most hands per image (default 2)
  --model NAME     landmark model: full (default) or lite
  --quiet          no per-image lines on stderr
  --frames N       bench: frames measured per scenario after warm-up (default 100)
  --warmup N       bench: warm-up frames (default 10)
  --image/--video  bench: inputs (default: the repository's fixtures)
  -h, --help       this text

Exit codes: 0 ok, 2 usage, 3 an input could not be read (missing, empty, corrupt, unsupported, too large),
4 model file missing or corrupt, 5 no TF.js backend, 6 could not write an output, 70 internal error.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(HELP + '\n');
    return command ? EXIT.ok : EXIT.usage;
  }
  if (command !== 'analyze' && command !== 'bench') {
    process.stderr.write(`hands: unknown command "${command}"\n\n${HELP}\n`);
    return EXIT.usage;
  }
  let args: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  const options = {
    json: { type: 'string' },
    overlay: { type: 'string' },
    'max-hands': { type: 'string' },
    model: { type: 'string' },
    quiet: { type: 'boolean' },
    frames: { type: 'string' },
    warmup: { type: 'string' },
    image: { type: 'string' },
    video: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  try {
    args = parseArgs({ args: rest, options, allowPositionals: true });
  } catch (err) {
    process.stderr.write(`hands analyze: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  if (args.values.help) {
    process.stdout.write(HELP + '\n');
    return EXIT.ok;
  }
  const log = args.values.quiet ? () => undefined : (line: string) => process.stderr.write(line + '\n');
  const config: DeepPartial<PipelineConfig> = {};
  if (args.values['max-hands'] !== undefined) config.maxHands = Number(args.values['max-hands']);
  if (args.values.model !== undefined) config.landmarks = { variant: args.values.model as 'full' | 'lite' };
  if (command === 'bench') return runBench(args.values, config, log);
  if (args.positionals.length === 0) {
    process.stderr.write('hands analyze: give at least one image file\n');
    return EXIT.usage;
  }
  try {
    const { code } = await analyze({ images: args.positionals, json: args.values.json, overlay: args.values.overlay, config, log });
    return code;
  } catch (err) {
    const e = HandsError.from(err);
    process.stderr.write(`hands: ${e.message}${e.hint ? `\n  ${e.hint}` : ''}\n`);
    return exitCodeFor(e.code);
  }
}

async function runBench(v: Record<string, string | boolean | undefined>, config: DeepPartial<PipelineConfig>, log: (line: string) => void): Promise<number> {
  const frames = Number(v.frames ?? 100);
  const warmup = Number(v.warmup ?? 10);
  if (!Number.isInteger(frames) || frames < 1 || !Number.isInteger(warmup) || warmup < 0) {
    process.stderr.write('hands bench: --frames must be a positive integer and --warmup a non-negative one\n');
    return EXIT.usage;
  }
  try {
    const report = await bench({
      frames,
      warmup,
      image: (v.image as string | undefined) ?? DEFAULT_BENCH_IMAGE,
      video: (v.video as string | undefined) ?? DEFAULT_BENCH_VIDEO,
      json: v.json as string | undefined,
      config,
      log,
    });
    process.stdout.write(formatBench(report) + '\n');
    return EXIT.ok;
  } catch (err) {
    const e = HandsError.from(err);
    process.stderr.write(`hands bench: ${e.message}${e.hint ? `\n  ${e.hint}` : ''}\n`);
    return exitCodeFor(e.code);
  }
}
