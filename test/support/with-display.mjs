#!/usr/bin/env node
// `node test/support/with-display.mjs <command…>`: runs the command (npm test's vitest) so that the
// headlessgl tests can run. headless-gl needs an X display; where there is none but Xvfb's `xvfb-run` is
// installed and gpu.js's optional native module `gl` was built, the command runs under `xvfb-run -a` (a
// private virtual display, any free server number). Otherwise it runs as it is, and the headlessgl tests
// skip, saying why. Plain JavaScript, so that it needs nothing built.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { existsSync } from 'node:fs';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: node test/support/with-display.mjs <command> [args…]');
  process.exit(2);
}

/** Whether the command gets a virtual display, and a line saying what that means for headlessgl. */
function decide() {
  if (process.env.DISPLAY) return { wrap: false, note: `using the display DISPLAY=${process.env.DISPLAY} as it is` };
  const skip = (why) => ({ wrap: false, note: `no display, so the headlessgl tests will skip: ${why}` });
  if (process.platform !== 'linux') return skip(`xvfb-run is a Linux tool (this is ${process.platform})`);
  if (!onPath('xvfb-run')) return skip('xvfb-run is not installed (Debian: apt-get install xvfb xauth)');
  const gl = glModuleProblem();
  if (gl) return skip(gl);
  return { wrap: true, note: 'no display: running under xvfb-run -a, so the headlessgl tests run' };
}

function onPath(name) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
}

/** gl is gpu.js's optional dependency: resolve and load it the way gpu.js does, from gpu.js's folder. */
function glModuleProblem() {
  try {
    const fromGpu = createRequire(createRequire(import.meta.url).resolve('gpu.js'));
    fromGpu('gl');
    return undefined;
  } catch (e) {
    const first = String(e?.message ?? e).split('\n')[0];
    return `gpu.js's optional native module "gl" is not built (${first}); see README, Set-up`;
  }
}

const { wrap, note } = decide();
const [file, ...args] = wrap ? ['xvfb-run', '-a', ...command] : command;
console.log(`[with-display] ${note}`);
const result = spawnSync(file, args, { stdio: 'inherit' });
if (result.error) {
  console.error(`[with-display] could not start ${file}: ${result.error.message}`);
  process.exit(1);
}
// Exit as the command did (a signal becomes 128 + its number, as a shell reports it).
process.exit(result.status ?? 128 + (result.signal ? (await import('node:os')).constants.signals[result.signal] : 0));
