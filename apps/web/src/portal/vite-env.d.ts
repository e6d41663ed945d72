// Vite handles CSS imports and import.meta.env; these are its declarations for them.
/// <reference types="vite/client" />
