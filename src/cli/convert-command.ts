// `brewnet convert <net>`: the parsed net in canonical prototxt or protobuf's JSON mapping; upgraded to
// the current format unless --no-upgrade.
import { readNet } from '../api/load-net.js';
import { fail } from '../diagnostics/diagnostic.js';
import { printJSON } from '../printer/json-printer.js';
import { printPrototxt } from '../printer/prototxt-printer.js';

export interface ConvertFlags {
  to: string;
  upgrade: boolean;
}

export function convertCommand(file: string, flags: ConvertFlags): void {
  if (flags.to !== 'prototxt' && flags.to !== 'json') fail(`--to must be "prototxt" or "json", not "${flags.to}"`);
  const net = readNet(file, { upgrade: flags.upgrade });
  process.stdout.write(flags.to === 'json' ? printJSON(net) : printPrototxt(net));
}
