// `brewnet draw` as a user runs it: each format written by -o's extension, DOT on stdout, a .py net, and
// the user's mistakes (a folder that does not exist, a bad --rankdir, an unknown extension) as diagnostics.
// Two runs go through the real command line (a file written, a diagnostic printed); the rest call the
// command's function in this process, which is the same code without a child process's start-up.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawCommand, type DrawFlags } from '../../src/cli/draw-command.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { runCli } from '../helpers/run-cli.js';

const FCN8S = 'examples/fcn8s-deploy.prototxt';
const dir = mkdtempSync(join(tmpdir(), 'brewnet-draw-'));

/** Runs the command in-process; what it prints to stdout and stderr, or the diagnostic it throws. */
async function draw(net: string, flags: DrawFlags): Promise<{ stdout: string; stderr: string; error?: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    await drawCommand(net, flags);
    return { stdout, stderr };
  } catch (e) {
    if (e instanceof DiagnosticError) return { stdout, stderr, error: e.message };
    throw e;
  } finally {
    vi.restoreAllMocks();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('brewnet draw', () => {
  it('writes an SVG from the command line', () => {
    const svg = join(dir, 'fcn8s.svg');
    const r = runCli(['draw', FCN8S, '-o', svg, '--rankdir', 'LR']);
    expect(r.stderr).toMatch(/^wrote .*fcn8s\.svg: 33 nodes, 37 edges\n$/);
    expect(r.status).toBe(0);
    const text = readFileSync(svg, 'utf8');
    expect(text).toContain('<svg');
    expect(text).toContain('>upscore8</text>');
  });

  it('says which folder is missing instead of failing inside', () => {
    const out = join(dir, 'no', 'such', 'net.svg');
    const r = runCli(['draw', FCN8S, '-o', out]);
    expect(r.stderr).toBe(
      `error: cannot write ${out}: the folder ${join(dir, 'no', 'such')} does not exist\n  hint: create it first (mkdir -p ${join(dir, 'no', 'such')}) or choose another -o\n`,
    );
    expect(r.status).toBe(1);
    expect(existsSync(out)).toBe(false);
  });

  it('writes DOT and PNG by the extension of -o', async () => {
    const dot = join(dir, 'fcn8s.dot');
    let r = await draw(FCN8S, { output: dot });
    expect(r.error).toBeUndefined();
    expect(readFileSync(dot, 'utf8')).toMatch(/^digraph "FCN8s" \{[\s\S]*tooltip=[\s\S]*\}\n$/i);

    const png = join(dir, 'fcn8s.png');
    r = await draw(FCN8S, { output: png, scale: '0.5' });
    if (r.error && /no font found/.test(r.error)) return; // no system font: the diagnostic says what to install
    expect(r.error).toBeUndefined();
    expect(r.stderr).toMatch(/text in /);
    const bytes = readFileSync(png);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('prints DOT to stdout with --format, and draws .py nets', async () => {
    const r = await draw('examples/fcn8s-netspec.py', { call: 'fcn8s(size=64)', format: 'dot' });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toContain('label="1×21×64×64"');
  });

  it('rejects a bad --rankdir, --format or --scale and an unknown extension', async () => {
    expect((await draw(FCN8S, { rankdir: 'BT' })).error).toBe('error: --rankdir BT: choose TB (top to bottom) or LR (left to right)');
    expect((await draw(FCN8S, { format: 'jpg' })).error).toBe('error: --format jpg: choose svg, dot or png');
    expect((await draw(FCN8S, { output: join(dir, 'a.png'), scale: '0' })).error).toContain('--scale 0:');
    expect((await draw(FCN8S, { output: join(dir, 'net.jpg') })).error).toContain('cannot tell the format from ".jpg"');
    expect((await draw(FCN8S, { output: dir })).error).toContain('cannot tell the format');
    expect((await draw(FCN8S, { output: join(dir, 'a.png'), font: ['README.md'] })).error).toBe(
      'error: --font README.md: not a TrueType or OpenType font (no family name in it)',
    );
    expect((await draw(FCN8S, { output: dir, format: 'svg' })).error).toBe(
      `error: cannot write ${dir}: it is a folder\n  hint: give a file name, e.g. -o net.svg`,
    );
  });
});
