// A typed message is a plain object, but the fast reader makes a big net's hundreds of thousands of them
// with a constructor of their message type. V8 gives an object made by `{}` room for 4 properties in the
// object itself; a layer has more (bottom, top, name, type, its *_param, the metadata), and the rest go
// to a separate property array: one more object per message for the garbage collector to copy. An
// object made by `new` of a constructor gets the room its type's first objects needed (V8's in-object
// slack tracking, per constructor), so each type gets its own. The prototype stays Object.prototype:
// the object is as plain as a literal to everything that reads it (spreads, JSON, test equality).
import type { Msg } from './message.js';

export type MessageConstructor = new () => Msg;

/** A constructor of empty plain objects, for one message type. */
export function messageConstructor(): MessageConstructor {
  // A new function each call: V8 tracks the room its objects use separately from every other type's.
  const Message = function () {} as unknown as MessageConstructor;
  Message.prototype = Object.prototype;
  return Message;
}
