// The fuzz worker thread's entry: a worker's first module is loaded before any --import hook, so this plain
// module registers tsx's loader and then imports the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
