/**
 * One Vite build, two pages: the cardholder portal and the analyst console share the API client,
 * the language switch and the styles, and the server serves each under its own path.
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("."),
  base: "/",
  plugins: [react()],
  build: {
    outDir: here("dist"),
    emptyOutDir: true,
    rollupOptions: {
      input: { portal: here("portal/index.html"), console: here("console/index.html") },
    },
  },
});
