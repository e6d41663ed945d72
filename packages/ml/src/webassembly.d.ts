/**
 * The part of the WebAssembly JavaScript API the tree walk uses. TypeScript declares the API only
 * in its DOM library, which a Node.js project leaves out; Node.js has it on the global object.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Memory {
    constructor(descriptor: { initial: number });
    readonly buffer: ArrayBuffer;
  }
  class Instance {
    constructor(module: Module, imports: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}
