// Which Caffe schema a net script speaks. pycaffe's `caffe_pb2` is generated from the caffe.proto of the
// Caffe it was built from: a script for an SSD or PSPNet net only runs under that fork's Python, whose
// caffe_pb2 has PriorBoxParameter or BN's bn_param. brewnet cannot see which Caffe a script expects, so a
// script says it in a comment among its first lines (`# brewnet: dialect=ssd`, as Python's own coding
// declaration does; see dialectDeclaration); the NetSpec printer writes that line for a fork's net.
// --dialect overrides it.
import { fail } from '../../diagnostics/diagnostic.js';
import { DIALECT_NAMES } from '../../schema/dialects.js';

const DECLARATION = /^#\s*brewnet:\s*dialect\s*=\s*([A-Za-z0-9_-]*)/;
/** Only the comment lines at the top of a script are looked at (like a coding declaration). */
const HEAD_LINES = 20;

/** The dialect a script declares in its leading comments, else 'bvlc'; an unknown name is a located error. */
export function scriptDialect(text: string, file: string): string {
  const lines = text.split('\n', HEAD_LINES);
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    const trimmed = line.trimStart();
    if (trimmed !== '' && !trimmed.startsWith('#')) break;
    const m = DECLARATION.exec(trimmed);
    if (m) {
      const name = m[1];
      if (!(DIALECT_NAMES as readonly string[]).includes(name)) {
        const column = line.length - trimmed.length + m[0].length - name.length + 1;
        fail(
          `unknown dialect "${name}" in the script's dialect declaration`,
          { file, line: i + 1, column, offset: offset + column - 1 },
          `the dialects: ${DIALECT_NAMES.join(', ')}`,
        );
      }
      return name;
    }
    offset += lines[i].length + 1;
  }
  return 'bvlc';
}
