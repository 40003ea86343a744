// `brewnet analyze <net>`: coordinate maps, crop offsets, merges, receptive fields, padding, deconvolution
// sizes and (with --sizes) valid input sizes. Crop or merge problems are also diagnostics on stderr, and
// make the exit status 1, so the command can guard a net in CI. --fix-crops writes a corrected copy.
import { dirname, resolve } from 'node:path';
import { analysisJSON, analyzeNet, type AnalysisReport } from '../analysis/analyze-net.js';
import { fixCrops } from '../analysis/fix-crops.js';
import { isScript, loadNet, readSource, type LoadOptions } from '../api/load-net.js';
import { netLoadOptions, type NetFlags } from './net-options.js';
import { fail, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { checkOutputFile, makeOutputFolder, writeOutputFile } from './output-paths.js';
import { printDiagnostics } from './report-errors.js';
import { renderAnalysis } from './analyze-report.js';
import { styleFor } from './style.js';

export interface AnalyzeFlags extends NetFlags {
  input?: Map<string, number[]>;
  sizes?: string;
  fixCrops?: boolean;
  output?: string;
  json?: boolean;
}

export function parseSizes(text: string): { from: number; to: number } {
  const m = /^(\d+)\.\.(\d+)$/.exec(text.trim());
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) fail(`--sizes must look like 1..1024 (from ≤ to, from ≥ 1), not "${text}"`);
  if (Number(m[2]) - Number(m[1]) > 100_000) fail('--sizes spans more than 100000 sizes; choose a smaller range');
  return { from: Number(m[1]), to: Number(m[2]) };
}

function problemsOf(report: AnalysisReport): Diagnostic[] {
  return [
    ...report.crops.filter((c) => !c.ok).map((c) => warning(`layer "${c.layer.name}" (Crop): ${c.reason}`, c.layer.loc)),
    ...report.merges.filter((m) => !m.ok).map((m) => warning(m.reason!, m.layer.loc, m.hint)),
  ];
}

export function analyzeCommand(file: string, flags: AnalyzeFlags): void {
  if (flags.fixCrops && !flags.output) fail('--fix-crops needs -o <file> for the corrected copy');
  if (flags.output && !flags.fixCrops) fail('-o is only used with --fix-crops');
  if (flags.fixCrops && isScript(file))
    fail(
      '--fix-crops rewrites a prototxt file, not a .py script',
      undefined,
      'convert the script first: brewnet convert net.py -o net.prototxt',
    );
  if (flags.output) checkOutputFile(flags.output, '-o');
  const source = readSource(file);
  const options: LoadOptions = { ...netLoadOptions(flags), inputs: flags.input, file: source.file };
  const net = loadNet(source.text, options);
  const report = analyzeNet(net, { sizes: flags.sizes ? parseSizes(flags.sizes) : undefined });

  const problems = problemsOf(report);
  if (flags.json) process.stdout.write(JSON.stringify(analysisJSON(report)) + '\n');
  else process.stdout.write(renderAnalysis(report, styleFor(process.stdout)));

  if (flags.fixCrops && flags.output) {
    const { text, fixed } = fixCrops(source.text, report.crops);
    makeOutputFolder(dirname(resolve(flags.output)), '-o');
    writeOutputFile(flags.output, text, '-o');
    if (!flags.json)
      process.stderr.write(
        `wrote ${flags.output}: ${fixed.length} crop offset(s) fixed${fixed.length ? ` (${fixed.map((c) => c.layer.name).join(', ')})` : ''}\n`,
      );
    // Judge the corrected copy, not the original: fixed crops often realign the merges after them.
    const after = analyzeNet(loadNet(text, { ...options, file: flags.output }));
    const remaining = problemsOf(after);
    printDiagnostics(remaining);
    if (remaining.length) process.exitCode = 1;
    return;
  }
  printDiagnostics(problems);
  if (problems.length) process.exitCode = 1;
}
