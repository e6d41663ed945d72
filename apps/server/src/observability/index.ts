export { createLogger, redactPans } from "./logger.ts";
export { createReadiness, type Readiness, type ReadinessCheck } from "./readiness.ts";
