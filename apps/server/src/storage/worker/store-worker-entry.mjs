// A worker thread starts without the main thread's TypeScript loader, so it registers tsx
// itself before loading the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./store-worker.ts");
