// `brewnet shapes <net>`: load, infer every blob's shape, print the table or one JSON object.
import { loadNet, type LoadOptions } from '../api/load-net.js';
import { scriptSelection, type ScriptFlags } from './script-options.js';
import { renderShapesTable } from './shapes-table.js';
import { styleFor } from './style.js';

export interface ShapesFlags extends ScriptFlags {
  input?: Map<string, number[]>;
  phase?: string;
  stage?: string[];
  level?: number;
  json?: boolean;
}

export function shapesCommand(file: string, flags: ShapesFlags): void {
  const options: LoadOptions = {
    inputs: flags.input,
    phase: flags.phase as LoadOptions['phase'],
    stages: flags.stage,
    level: flags.level,
    ...scriptSelection(flags),
  };
  const net = loadNet(file, options);
  if (flags.json) process.stdout.write(JSON.stringify(net.toJSON()) + '\n');
  else process.stdout.write(renderShapesTable(net, styleFor(process.stdout)));
}
