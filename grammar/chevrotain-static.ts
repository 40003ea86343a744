// chevrotain's values for bundles whose format cannot hold a top-level await (the web page's IIFE):
// web/build.mjs points grammar/chevrotain.ts's importers here. Same exports, loaded statically.
export { createToken, createTokenInstance, Lexer, EmbeddedActionsParser } from 'chevrotain';
