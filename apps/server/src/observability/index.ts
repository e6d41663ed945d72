export { createLogger, redactPans } from "./logger.ts";
