export type { HttpApp, HttpDeps } from "./app.ts";
export { buildHttpApp, type RouteEntry, routeTableOf } from "./app.ts";
