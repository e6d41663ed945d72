export { buildHttpApp } from "./app.ts";
export type { HttpApp, HttpDeps } from "./app.ts";
