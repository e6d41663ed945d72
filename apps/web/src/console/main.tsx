import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "../shared/base.css";
import "./console.css";
import { App } from "./App.tsx";

const root = document.getElementById("root");
if (root === null) {
  throw new Error("console/index.html has no #root element");
}
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
