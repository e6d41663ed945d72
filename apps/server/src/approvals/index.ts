/**
 * Approvals: four eyes on the changes that alter every decision (a ruleset's activation, a
 * model's promotion).
 */
export {
  type ChangeRequest,
  createFourEyes,
  type FourEyes,
  type FourEyesDeps,
  type FourEyesSubject,
  type Person,
} from "./four-eyes.ts";
