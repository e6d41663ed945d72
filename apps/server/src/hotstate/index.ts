/**
 * The shared hot state's adapters (Redis for several API processes, memory for tests and the
 * simulator) and its rebuild from the store. The port and the scoring on it live in scoring/.
 */
export { createMemoryCodeFailureLog } from "./code-failure-log.ts";
export { createMemoryHotState } from "./memory-hot-state.ts";
export { rebuildSharedHotState } from "./rebuild.ts";
export { connectRedis, createRedisHotState } from "./redis-hot-state.ts";
