/** Analyst cases: the work queue, search, a case's timeline, contact log and labels. */
export { type CaseActionResult, type CaseService, createCaseService } from "./case-service.ts";
