// chevrotain, loaded from its single-file build. The package's entry (lib/src/api.js) is an ES module
// graph of about 650 files (lodash-es among them) that Node takes 0.5–1 s to load, most of a CLI command's
// time; the same package ships the whole library as one file (lib/chevrotain.mjs), which loads in a tenth
// of that. That file is not in the package's `exports`, so it is found beside the entry that is; where it
// cannot be (a browser, a bundler, another layout), the ordinary entry is loaded. Every grammar file
// imports chevrotain's values from here, so one copy of the library is ever loaded.
import type * as Chevrotain from 'chevrotain';

async function load(): Promise<typeof Chevrotain> {
  try {
    const entry = import.meta.resolve('chevrotain'); // …/chevrotain/lib/src/api.js
    const single = new URL('../chevrotain.mjs', entry);
    if (single.protocol === 'file:' && /\/chevrotain\/lib\/src\/api\.js$/.test(entry)) {
      return (await import(single.href)) as typeof Chevrotain;
    }
  } catch {
    // fall through to the package's entry
  }
  return await import('chevrotain');
}

const chevrotain = await load();
export const { createToken, createTokenInstance, Lexer, EmbeddedActionsParser } = chevrotain;
