export type { DemoCard, DemoCardholder, DemoIssuer, DemoMerchant } from "./demo-issuer.ts";
export { generateDemoIssuer } from "./demo-issuer.ts";
export type { CampaignKind } from "./issuer-config.ts";
export { campaignKinds, simulationConfig } from "./issuer-config.ts";
export type { IssuerHistoryOptions, SyntheticAuthorization } from "./issuer-history.ts";
export { generateIssuerHistory } from "./issuer-history.ts";
