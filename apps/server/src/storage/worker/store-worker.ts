/**
 * The thread that owns the embedded PostgreSQL. PGlite runs queries synchronously inside its
 * WebAssembly module, so on the main thread every commit would stall the event loop for
 * milliseconds; here it stalls only this thread, and the API keeps answering.
 */
import { parentPort, workerData } from "node:worker_threads";
import { assert } from "../../platform/assert.ts";
import { openPgliteStore } from "../open-store.ts";
import type { Store } from "../store.ts";
import type { StoreRequest, StoreResponse } from "./store-protocol.ts";

const port = parentPort;
assert(port !== null, "the store worker runs as a worker thread");
const { dataDir } = workerData as { dataDir: string | null };

const opened: Promise<Store> = openPgliteStore(dataDir);

port.on("message", (request: StoreRequest) => {
  opened
    .then(async (store) => {
      // The method name comes from our own proxy, never from outside input.
      const method = store[request.method] as (...args: unknown[]) => Promise<unknown>;
      const value = await method.apply(store, [...request.args]);
      const response: StoreResponse = { id: request.id, ok: true, value };
      port.postMessage(response);
      if (request.method === "close") {
        port.close();
      }
    })
    .catch((error: unknown) => {
      const response: StoreResponse = {
        id: request.id,
        ok: false,
        error: {
          name: error instanceof Error ? error.name : "Error",
          message: String(error instanceof Error ? error.message : error),
        },
      };
      port.postMessage(response);
    });
});
