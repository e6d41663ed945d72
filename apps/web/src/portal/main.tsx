/** The cardholder portal's entry: styles, then the app into #root. */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "../shared/base.css";
import "./portal.css";
import { App } from "./app.tsx";

const root = document.getElementById("root");
if (root === null) {
  throw new Error("portal/index.html has no #root element");
}
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
