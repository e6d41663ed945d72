import type { Store } from "../store.ts";

/** A call of one Store method, answered by the response with the same id. */
export type StoreRequest = {
  readonly id: number;
  readonly method: keyof Store;
  readonly args: readonly unknown[];
};

export type StoreResponse =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: { readonly name: string; readonly message: string };
    };
