/**
 * The part of the platform the simulator drives, and how it asks for one. Only the command line
 * may import the composition root (main.ts), so the simulator names what it needs here and the
 * caller (the CLI, a test) passes `startPlatform` in; the compiler checks there that the real
 * platform fits.
 */
import type { CardDirectory, CardService } from "../cards/index.ts";
import type { HoldService } from "../holds/index.ts";
import type { OutboxChannel, OutboxDispatcher, OutboxSender } from "../outbox/index.ts";
import type { Clock } from "../platform/clock.ts";
import type { Random } from "../platform/random.ts";
import type { RulesetService } from "../rulesets/index.ts";
import type { AuthorizationService } from "../scoring/index.ts";
import type { StepUpService } from "../stepup/index.ts";
import type { Store } from "../storage/index.ts";

export type SimulatedPlatform = {
  readonly directory: Pick<CardDirectory, "getCard" | "cardsOf">;
  readonly cards: Pick<CardService, "registerCardholder" | "issueCard">;
  readonly rulesets: Pick<RulesetService, "active">;
  readonly authorizations: AuthorizationService;
  readonly holds: Pick<
    HoldService,
    | "answer"
    | "handleSmsReply"
    | "expireDue"
    | "setLocked"
    | "reportLostOrStolen"
    | "releaseByAnalyst"
    | "blockByAnalyst"
  >;
  readonly stepUp: Pick<StepUpService, "authenticate" | "verify" | "resend" | "expireDue">;
  readonly dispatcher: Pick<OutboxDispatcher, "drainOnce">;
  close(): Promise<void>;
};

/** What the simulator fixes for every start: all a run's time, chance, storage and messaging. */
export type SimulatedPlatformOptions = {
  readonly dataDir: null;
  readonly clock: Clock;
  readonly random: Random;
  readonly env: NodeJS.ProcessEnv;
  readonly store: Store;
  readonly senders: Record<OutboxChannel, OutboxSender>;
  /** The simulator runs the outbox and expiry passes itself, as steps, never on a timer. */
  readonly runWorkers: false;
  readonly confirmationWindowMs: number;
  readonly challengeCodeTtlMs: number;
  readonly seedDemo: false;
};

export type PlatformStarter = (options: SimulatedPlatformOptions) => Promise<SimulatedPlatform>;
