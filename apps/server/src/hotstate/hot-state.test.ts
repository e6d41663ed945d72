/**
 * The shared hot state's contract against the memory adapter and the machine's Redis (each test
 * under its own key prefix). Under CI=true a missing Redis fails this file.
 */
import { after } from "node:test";
import { deleteKeysWithPrefix, freshRedisPrefix } from "../../test/services.ts";
import { createManualClock } from "../platform/clock.ts";
import { baseTimeMs, runHotStateContract } from "./hot-state-contract.ts";
import { connectRedis, createMemoryHotState, createRedisHotState } from "./index.ts";

const seed = Date.now() % 2_147_483_647;
runHotStateContract("memory", async () => createMemoryHotState(createManualClock(baseTimeMs)), { seed });

const redis = await freshRedisPrefix("hot-state");
if (redis.ok) {
  const client = await connectRedis(redis.value.url);
  let opened = 0;
  after(async () => {
    await deleteKeysWithPrefix(client, redis.value.keyPrefix);
    client.disconnect();
  });
  runHotStateContract(
    "redis",
    async () => {
      opened += 1;
      // A closed adapter would close the shared connection, so each test's adapter leaves it open.
      const shared = createRedisHotState(client, { keyPrefix: `${redis.value.keyPrefix}${opened}:` });
      return { ...shared, close: async () => {} };
    },
    { seed },
  );
} else {
  runHotStateContract(
    "redis",
    async () => {
      throw new Error("skipped tests do not open an adapter");
    },
    { seed, skip: redis.skip },
  );
}
