export type { HttpApp, HttpDeps } from "./app.ts";
export { buildHttpApp } from "./app.ts";
