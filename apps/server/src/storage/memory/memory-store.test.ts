import { runStoreContract } from "../contract/store-contract.ts";
import { createMemoryStore } from "./memory-store.ts";

runStoreContract("memory", async () => createMemoryStore());
