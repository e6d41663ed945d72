/**
 * A Store whose SQL runs on its own thread (store-worker.ts). Every method is already async in
 * the port, so the proxy only forwards calls and their answers; records cross the thread
 * boundary by structured clone. An error in the worker comes back as a StoreWorkerError, an
 * outage like any other.
 */
import { Worker } from "node:worker_threads";
import type { Store } from "../store.ts";
import type { StoreRequest, StoreResponse } from "./store-protocol.ts";

export class StoreWorkerError extends Error {
  override name = "StoreWorkerError";
}

/**
 * Every Store method the worker answers. commitChained is not among them: its callback cannot
 * cross threads, and it is not needed, as the worker's PGlite has this process as its only writer.
 */
const methods = [
  "commit",
  "getCardholder",
  "listCardholders",
  "getCard",
  "listCards",
  "listCardsChangedSince",
  "listMerchants",
  "getRuleset",
  "listRulesets",
  "getDecisionByExternalId",
  "getDecision",
  "listDecisionsByCard",
  "listDecisions",
  "countDecisions",
  "getAuditHead",
  "listAudit",
  "getSetting",
  "getDocument",
  "findDocumentByLookupKey",
  "listDocuments",
  "listDocumentsDue",
  "claimDocumentsDue",
  "listDocumentsInState",
  "listDocumentsChangedSince",
  "close",
] as const satisfies readonly (keyof Store)[];

export async function openWorkerStore(dataDir: string | null): Promise<Store> {
  const worker = new Worker(new URL("./store-worker-entry.mjs", import.meta.url), {
    workerData: { dataDir },
  });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  let nextId = 1;
  let exitError: Error | null = null;

  worker.on("message", (response: StoreResponse) => {
    const call = waiting.get(response.id);
    if (call === undefined) {
      return;
    }
    waiting.delete(response.id);
    if (response.ok) {
      call.resolve(response.value);
    } else {
      call.reject(new StoreWorkerError(`${response.error.name}: ${response.error.message}`));
    }
  });
  const failAll = (error: Error): void => {
    exitError = error;
    for (const call of waiting.values()) {
      call.reject(error);
    }
    waiting.clear();
  };
  worker.on("error", (error) => failAll(new StoreWorkerError(`store worker failed: ${error.message}`)));
  worker.on("exit", (code) => failAll(new StoreWorkerError(`store worker exited with code ${code}`)));

  const call = (method: keyof Store, args: readonly unknown[]): Promise<unknown> => {
    if (exitError !== null) {
      return Promise.reject(exitError);
    }
    const id = nextId++;
    const request: StoreRequest = { id, method, args };
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage(request);
    });
  };

  const store = Object.fromEntries(
    methods.map((method) => [method, (...args: unknown[]) => call(method, args)]),
  ) as unknown as Store;
  // The first call waits for the worker to open and migrate the database, so a failure to open
  // surfaces here, at start-up, and not at the first authorization.
  await store.countDecisions();
  const close = store.close;
  return {
    ...store,
    async close() {
      await close();
      await worker.terminate();
    },
  };
}
