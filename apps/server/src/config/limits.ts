/**
 * Every bound in mimamori, each with the reason for its value. Loops over external input are
 * bounded by one of these; `assertLimits()` checks the relations between them at start-up.
 */
import { assert } from "../platform/assert.ts";

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

export const limits = {
  // --- HTTP edge ---------------------------------------------------------------------------
  /** An authorization is under 2 KiB; 64 KiB leaves room for rulesets and refuses floods. */
  requestBodyBytesMax: 64 * 1024,
  /** Ruleset text is larger than an authorization; 256 KiB holds hundreds of readable rules. */
  rulesetBodyBytesMax: 256 * 1024,
  /** Ids from the issuer's host: long enough for any scheme's trace id, short enough to index. */
  externalIdLengthMax: 64,
  /** Merchant names on card schemes are at most 25 characters; 100 covers enriched names. */
  merchantNameLengthMax: 100,
  /** A cardholder's name as printed or in full, in any script. */
  cardholderNameLengthMax: 200,
  /** An amount beyond 10^12 minor units (10 billion yen) is a data error, not a purchase. */
  amountMinorMax: 1_000_000_000_000,
  /** A device fingerprint or IP string from the host; longer is abuse. */
  deviceFieldLengthMax: 256,
  /** One page of a list endpoint. */
  pageSizeMax: 200,

  // --- Process lifecycle ---------------------------------------------------------------------
  /** A stop finishes in-flight requests and the last commit within this, inside the 30 s orchestrators wait before SIGKILL. */
  shutdownDrainTimeoutMs: 20_000,
  /** A readiness check slower than Kubernetes' 1 s probe timeout is as good as down. */
  readinessCheckTimeoutMs: 1_000,
  /** API processes one cluster forks: beyond the cores of any machine we run on, so more is a typo. */
  processesMax: 256,
  /** The first restart of a crashed process waits this long, so a crash loop does not spin. */
  processRestartDelayMsMin: 500,
  /** Restarts back off by doubling up to this: a process that keeps failing is retried twice a minute. */
  processRestartDelayMsMax: 30_000,
  /** A process that ran this long before it died crashed afresh: its restart starts from the least delay. */
  processStableMs: 60_000,

  // --- Scoring -----------------------------------------------------------------------------
  /** The HTTP answer must come well inside the scheme's stand-in timeout (about 2 s). */
  scoringLatencyBudgetMs: 250,
  /** Authorizations older or newer than this against the server clock are refused as bad data. */
  occurredAtSkewMaxMs: 400 * dayMs,
  /** Idempotency entries held in memory: the window in which a retry is answered from memory. */
  idempotencyWindowMs: 2 * dayMs,
  /** Idempotency entries held in memory at most; older ones fall back to the store's unique key. */
  idempotencyEntriesMax: 2_000_000,
  /** Response bodies held in memory for instant retries (~1 KiB each); older retries read the store. */
  idempotencyBodiesMax: 100_000,

  // --- Shared hot state (Redis, several API processes) ------------------------------------------
  /** A process deciding an id holds it this long; past it, a retry elsewhere takes it over. A decision takes milliseconds, a GC pause under a second. */
  hotStateLeaseMs: 5_000,
  /** A reservation outlives its lease so a retry can take a dead attempt's counts back out; card networks retry within seconds. */
  hotStateReservationTtlMs: 2 * minuteMs,
  /** A retry waiting for a live owner polls the store this often for its decision. */
  hotStateWaitPollMs: 10,
  /** Lost compare-and-sets before an authorization gives up (503): one card would need 50 concurrent authorizations. */
  hotStateCountAttemptsMax: 50,
  /** A rebuild of Redis from the store holds its lock this long; a process that died mid-rebuild frees it then. */
  hotStateRebuildLockMs: 10 * minuteMs,
  /** A process waiting for another's rebuild checks this often. */
  hotStateRebuildPollMs: 100,
  /** Rows written to Redis per command during a rebuild: big enough to be quick, small enough not to stall Redis. */
  hotStateRebuildBatchRows: 1_000,
  /** Connecting to Redis at start-up or a readiness probe gives up after this. */
  redisConnectTimeoutMs: 3_000,
  /** A process on a shared store reads the others' changes this often: how stale an allow window or a joined hold may be. */
  changeFollowIntervalMs: 250,
  /** Each read starts this far before the newest change seen: covers commit latency and clock skew between machines (NTP keeps it in milliseconds). */
  changeFollowOverlapMs: 5_000,
  /** A written or applied version is remembered this long, beyond the overlap, so a change read back is not applied over a newer one. */
  changeFollowSeenKeepMs: 30_000,

  // --- Rules -------------------------------------------------------------------------------
  /** A ruleset an analyst can still read and review. */
  rulesPerRulesetMax: 500,
  /** A rule condition that fits on a screen. */
  ruleNodesMax: 200,
  /** Deep nesting is unreadable and risks the evaluator's stack. */
  ruleDepthMax: 32,
  /** Steps per authorization for a whole ruleset: 500 rules of ~20 nodes, with headroom. */
  evaluationFuelMax: 20_000,
  /** Ruleset versions kept per issuer before old drafts must be archived. */
  rulesetVersionsMax: 10_000,

  // --- Features and hot state ----------------------------------------------------------------
  /** Recent authorizations kept per card for distinct counts and card-testing patterns. */
  recentAuthorizationsMax: 32,
  /** Distinct merchants remembered per card profile (oldest forgotten first). */
  profileMerchantsMax: 64,
  /** Distinct devices remembered per card profile. */
  profileDevicesMax: 8,
  /** Distinct countries remembered per card profile. */
  profileCountriesMax: 16,
  /** Below this base amount an authorization counts as small (card testing probes). */
  smallAmountBaseMinorMax: 1_000,
  /** Profile half-life in learned authorizations: two months of daily use, so habits adapt slowly. */
  profileHalfLifeAuthorizations: 50,
  /** Least learned amount spread (ln units, ×1.65): a regular cardholder is not endlessly surprised. */
  profileAmountSpreadLnMin: 0.5,
  /** Learned authorizations before the amount z-score means anything; below this it is 0. */
  profileAmountLearnedMin: 3,
  /** Time zones with a cached formatter (IANA has about 600); the cache starts afresh beyond this. */
  timeZonesCachedMax: 1_000,
  /**
   * Cards held in memory: one process serves an issuer of this size. Hot state is about 2 KB a
   * card, so the cap is about 10 GB of memory; enrolment beyond it is refused, never a crash.
   */
  cardsMax: 5_000_000,
  /** Merchants with velocity state; the least recently seen is dropped beyond this. */
  merchantsMax: 1_000_000,
  /** Terminals with velocity state; the least recently seen is dropped beyond this. */
  terminalsMax: 2_000_000,
  /** Devices with velocity state; the least recently seen is dropped beyond this. */
  devicesMax: 2_000_000,
  /** History replayed into hot state at start-up: the longest window (30 d) plus profile memory. */
  stateRebuildLookbackMs: 180 * dayMs,

  // --- Storage -------------------------------------------------------------------------------
  /** Decisions per group commit: large enough to amortize the commit, small enough for latency. */
  decisionBatchMax: 256,
  /** How long the first decision of a batch waits for company before the batch commits. */
  decisionBatchDelayMs: 1,
  /** Rows read per page when rebuilding hot state, so start-up memory stays flat. */
  rebuildPageRows: 5_000,
  /** Rows per multi-row INSERT: 1,000 × 14 decision columns stays far below PostgreSQL's 65,535 parameters. */
  sqlInsertRowsMax: 1_000,
  /** Rows one store read may return: bounds memory per query; rebuild and HTTP pages fit inside. */
  storePageRowsMax: 10_000,
  /**
   * Connections per process to PostgreSQL: the group committer holds one at a time, reads and
   * workers share the rest, and ten API processes stay under PostgreSQL's default 100.
   */
  postgresConnectionsMax: 10,
  /** A server that does not answer fails the start in seconds instead of hanging on TCP retries. */
  postgresConnectTimeoutMs: 5_000,

  // --- Reissue and card host -----------------------------------------------------------------
  /** Term of a replacement card from its month of issue: the usual term of a Japanese credit card. */
  replacementCardValidityYears: 5,
  /** New PANs drawn before giving up: even with half the range taken, 16 draws all miss 1 in 65,536 times. */
  replacementPanAttemptsMax: 16,
  /** Longest sealed card-host message opened: a real one is under 1 KiB, so garbage is refused before any crypto. */
  cardHostSealedLengthMax: 8 * 1024,

  // --- Notifications -------------------------------------------------------------------------
  /** Japanese carriers join SMS up to 670 UCS-2 characters; a longer text is cut or refused. */
  smsBodyCharactersMax: 670,
  /** A subject that mail apps on a phone still show whole, with the issuer's name in front. */
  emailSubjectCharactersMax: 120,
  /** Lock screens cut push titles at about 50 characters. */
  pushTitleCharactersMax: 60,
  /** A push body shows a few lines; beyond this the cardholder opens the app anyway. */
  pushBodyCharactersMax: 300,
  /** One template's text (an e-mail body is the longest); more is a mistake in the override file. */
  templateTextCharactersMax: 4_000,
  /** The issuer's name as it opens every message (【…】); long names crowd out the SMS. */
  issuerNameLengthMax: 40,
  /** A phrase the cardholder recognises at a glance; enrolment must refuse longer ones. */
  securityPhraseLengthMax: 40,
  /** The issuer's official link, where its policy allows one; real official URLs are short. */
  linkLengthMax: 200,
  /** Open confirmations listed in one "which one?" SMS; more are answered in the app. */
  confirmationsListedMax: 3,
  /** Merchant names in that list are cut to this, so the list fits one short SMS. */
  listedMerchantLengthMax: 20,
  /** An SMS answer is "1 A7K" with room for spaces and quotes; anything longer is not an answer. */
  smsReplyLengthMax: 64,
  /** Draws of a free reference (15,625 codes, a handful open per cardholder) before giving up. */
  referenceDrawAttemptsMax: 16,
  /** The idempotency key travels as an HTTP header and as a Message-ID; both stay short. */
  sendKeyLengthMax: 128,
  /** A provider's message id kept with the outbox record; a longer one is not stored. */
  providerMessageIdLengthMax: 256,
  /** Bytes of a provider's answer read for its message id; a larger answer is not buffered. */
  providerResponseBytesMax: 16 * 1024,
  /** SMS gateways answer in a second or two; past this the dispatcher retries with the same key. */
  smsSendTimeoutMs: 5_000,
  /** SMTP takes several round trips (greeting, EHLO, MAIL, RCPT, DATA) before the answer. */
  emailSendTimeoutMs: 15_000,
  /** The push relay is the issuer's own service, close to the server. */
  pushSendTimeoutMs: 5_000,
  /** Stripe's default: a receiver refuses a signed push whose time is further than this from its clock. */
  pushSignatureToleranceMs: 5 * minuteMs,
  /** An HMAC-SHA-256 key shorter than its 32-byte output weakens the signature. */
  pushSigningKeyBytesMin: 32,
  /** A signature header holds a time and a few signatures while keys rotate; more is not ours. */
  pushSignatureHeaderLengthMax: 1_024,
  /** The SMS provider's signed replies: the same tolerance as our own push signatures. */
  smsInboundSignatureToleranceMs: 5 * minuteMs,
  /**
   * Signatures remembered to refuse a replay within the tolerance: far above the replies a
   * process receives in 5 minutes; past it the oldest are forgotten before their time.
   */
  smsInboundSignaturesRememberedMax: 100_000,
  /** SMS to one cardholder in any hour: a hold's request and notice plus a step-up code and its resends fit; more is SMS pumping (the simulator checks it). */
  smsPerCardholderPerHourMax: 12,

  // --- Holds and the confirmation loop -------------------------------------------------------
  /** The answer window by default: three days covers a weekend away from the phone. */
  confirmationWindowMsDefault: 72 * hourMs,
  /** Shorter windows are for tests and demos; below a second the expiry scan cannot keep up. */
  confirmationWindowMsMin: 1_000,
  /** Longer than a month, and the merchant's authorization and the cardholder's memory are gone. */
  confirmationWindowMsMax: 30 * dayMs,
  /** After "mine", the merchant's retry is let through for a day, long enough for a next attempt. */
  allowWindowMs: 24 * hourMs,
  /** Authorizations listed on one hold; more attempts on a held card are declined without listing. */
  holdAuthorizationsMax: 20,
  /** How often pending holds are checked for expiry; a 2-second test window still expires on time. */
  holdExpiryScanIntervalMs: 250,
  /** Holds expired per scan: a backlog after a long downtime drains over a few scans. */
  holdExpiryBatchMax: 100,
  /** Pending holds read for one card: one is the rule, two can happen when two processes hold it at once. */
  holdsPerCardReadMax: 10,
  /** Past decisions read to find card-on-file merchants after a reissue: months of a heavy user. */
  cardOnFileDecisionsScanned: 2_000,
  /** Approved e-commerce payments at one merchant that make it a card-on-file merchant. */
  cardOnFileRepeatMin: 2,
  /** A cardholder's portal session: short, as it can answer holds and lock cards. */
  cardholderSessionTtlMs: 30 * minuteMs,
  /** Open holds listed to one cardholder; a real one has one or two. */
  cardholderHoldsListedMax: 50,
  /** Live wallet tokens per card: a household's phones and watches plus card-on-file merchants; a reissue moves all in one commit. */
  walletTokensPerCardMax: 100,
  /** 128 bits: a one-time confirmation link cannot be guessed within a hold's life, and still fits an SMS. */
  confirmationLinkTokenBytes: 16,
  /** The link page's form sends "answer=not_mine" (15 bytes); a larger body is not from our page. */
  confirmationLinkBodyBytesMax: 1_024,
  /**
   * Link page views and answers per client address per minute: a person and their mail scanner
   * open a link a few times; more is someone trying tokens or loading the server.
   */
  confirmationLinkRequestsPerMinuteMax: 30,

  // --- Step-up (3-D Secure style) ------------------------------------------------------------
  /** 6 digits (about 20 bits): NIST SP 800-63B's least for an out-of-band secret, and what cardholders type. */
  challengeCodeDigits: 6,
  /** NIST SP 800-63B: an out-of-band secret is invalid after 10 minutes; a lower value may be configured. */
  challengeCodeTtlMsMax: 10 * minuteMs,
  /** The EMV 3DS SDK's challenge timeout is at least 5 minutes, so a shorter code would expire mid-challenge. */
  challengeCodeTtlMsDefault: 10 * minuteMs,
  /** Shorter codes are for tests and demos; below a few seconds nobody can type one. */
  challengeCodeTtlMsMin: 1_000,
  /** Wrong codes per challenge before it fails: five guesses of a 6-digit code succeed 1 time in 200,000. */
  challengeAttemptsMax: 5,
  /** New codes per challenge: three covers a slow SMS; more is SMS pumping or guessing. */
  challengeResendsMax: 3,
  /** Code messages (first codes and resends) to one card in an hour: two challenges with all their resends; more is someone pumping SMS at the cardholder. */
  codeMessagesPerCardPerHourMax: 8,
  /** A resend sooner than this after the last code is refused: the first SMS is usually just late. */
  challengeResendIntervalMsMin: 30_000,
  /** Wrong codes on one card across challenges, in the window below, before every challenge fails. */
  challengeFailuresPerCardMax: 10,
  /** The window of that count: a day, so a cardholder who mistypes is not locked out for longer. */
  challengeFailuresWindowMs: 24 * hourMs,
  /** An authentication value is presented with the authorization within minutes; a day covers delayed capture. */
  authenticationValueTtlMs: 24 * hourMs,
  /** The authentication value: 20 random bytes, the size of a scheme's CAVV or AAV. */
  authenticationValueBytes: 20,
  /** A cardholder can report an unrequested code this long after it came: a holiday weekend and more (seed 003). */
  unrequestedReportWindowMs: 30 * dayMs,
  /** The issuer's official domain in the code's last line; real ones are short. */
  officialDomainLengthMax: 100,
  /** Merchants and countries tracked in the step-up metrics; the rest count under "other". */
  stepUpMetricsKeysMax: 10_000,
  /** Challenges checked for expiry per scan. */
  challengeExpiryBatchMax: 100,
  /** Browser or app data that identifies the device: a user agent is the longest, at a few hundred bytes. */
  userAgentLengthMax: 512,

  // --- Outbox --------------------------------------------------------------------------------
  /** Messages sent per dispatcher pass; the next pass follows at once while more are due. */
  outboxBatchMax: 100,
  /** Idle polling interval; a commit that queues a message wakes the dispatcher at once. */
  outboxPollIntervalMs: 500,
  /** Tries before a message is marked failed and left to the console: about 4 minutes of back-off. */
  outboxAttemptsMax: 8,
  /** The longest back-off between two tries. */
  outboxRetryDelayMaxMs: 60_000,
  /** Messages listed by GET /v1/outbox for one cardholder. */
  outboxListedMax: 200,
  /**
   * How long a dispatcher owns the messages it claimed: a crashed worker's messages go out again
   * after this, while a one-time code (10 minutes) is still worth sending. A pass sends a message
   * only while a whole send timeout still fits in the lease, so two live workers never overlap.
   */
  outboxClaimLeaseMs: 3 * minuteMs,

  // --- Contact check -------------------------------------------------------------------------
  /** A pasted e-mail is a few thousand characters; longer input is cut off, not read in full. */
  contactCheckTextLengthMax: 10_000,
  /** Public checks per client address per minute: enough for a person, too few to mine the registry. */
  contactChecksPerMinuteMax: 30,
  /** "Did you contact me at 14:03?" looks this far either side of the time given. */
  contactRecordWindowMs: 15 * minuteMs,
  /** A cardholder's messages read to answer that question, newest first. */
  contactRecordMessagesMax: 500,
  /** Links read from one text: a real notice has one or two, and the first twenty already decide. */
  contactLinksPerTextMax: 20,
  /** E-mail addresses read from one text: a signature and a reply-to, with room to spare. */
  contactEmailAddressesPerTextMax: 10,
  /** A link is read from its first 2,048 characters: the host is at the front, the rest is padding. */
  contactLinkLengthMax: 2_048,

  // --- Channel registry and guidance ---------------------------------------------------------
  /** A registry or report directory is a few kilobytes; a megabyte is a mistake, refused before parsing. */
  contactDataFileBytesMax: 1024 * 1024,
  /** Entries in one list of a registry: a large issuer publishes a few dozen numbers or domains. */
  registryEntriesMax: 200,
  /** Opening periods of one line: two a day, every day, is the most a published timetable has. */
  openingPeriodsMax: 14,
  /** Days searched for a line's next opening: the year-end closure and several weekly cycles fit. */
  openingSearchDaysMax: 31,

  // --- Sign-in (portal and console) -----------------------------------------------------------
  /** Argon2id memory in KiB: OWASP's first recommended setting (19 MiB, 2 passes, 1 lane). */
  passwordMemoryKib: 19_456,
  /** Argon2id passes over that memory, with passwordMemoryKib as OWASP recommends. */
  passwordPasses: 2,
  /** The shortest password we accept: NIST SP 800-63B asks for at least 8; we ask for 12. */
  passwordLengthMin: 12,
  /** Sign-in attempts per client address per minute, on top of the per-account lock. */
  signInsPerMinuteMax: 10,
  /** Failed sign-ins before an account is locked for a while: enough for typos, too few to guess. */
  signInFailuresMax: 5,
  /** How long a locked account refuses sign-ins: slows guessing without locking people out for long. */
  signInLockMs: 15 * minuteMs,
  /** TOTP steps either side of now that are accepted: one covers a phone clock 30 s off (RFC 6238 §5.2). */
  totpStepWindow: 1,
  /** An operator's console session: a working shift's stretch, after which they sign in again. */
  operatorSessionTtlMs: 8 * hourMs,
  /** Time to work a pending hold or a reported code before it is shown as overdue. */
  holdSlaMs: 15 * minuteMs,
  /** Time to work an open case (first contact, label) before it is shown as overdue. */
  caseSlaMs: 4 * hourMs,
  /** Rows of each queue section: an analyst works the top; the rest is found by search. */
  consoleQueueRowsMax: 100,
  /** Cases a search returns. */
  caseSearchResultsMax: 50,
  /** Entries on one case's timeline: a card's recent decisions plus the loop's records. */
  caseTimelineEntriesMax: 500,
  /** Authorizations shown on a case's timeline (the card's most recent). */
  caseTimelineDecisionsMax: 100,
  /** Contact records and labels kept on one case. */
  caseRecordsMax: 200,
  /** A contact record may be dated this far ahead of our clock: an operator's PC clock drifts. */
  contactRecordSkewMs: 5 * minuteMs,
  /** Transactions listed to a cardholder in the portal. */
  portalTransactionsMax: 50,
  /** Days of decisions a stats request may cover. */
  statsDaysMax: 90,

  // --- Analytics (backtests and stats for the console) ---------------------------------------
  /** Rows per read in backtests and stats: ~15 µs of replay a row keeps a slice near 15 ms, so scoring is answered between pages. */
  analyticsPageRows: 1_000,
  /** Decisions one backtest replays: ~3 s at ~15 µs each, a wait an analyst accepts; a longer window is cut and says so. */
  backtestDecisionsMax: 200_000,
  /** Changed decisions a backtest lists: a screen of examples to judge a rule by; the matrix counts the rest. */
  backtestExamplesMax: 50,
  /** Decisions one stats request reads (no replay, so cheaper): 90 days of an issuer at ~10,000 authorizations a day. */
  statsDecisionsMax: 1_000_000,
  /** Answered holds read per answer state: holds are a small share of decisions, so this covers the decision bound. */
  statsHoldsMax: 100_000,
  /** Rule ids counted apart in stats: every rule of a few ruleset versions; the rest count under "(other)". */
  statsRuleIdsMax: 1_000,
  /** A hold's id is minted just after its opening time is read; a scan by id starts this much earlier to be sure. */
  holdIdLeadMsMax: minuteMs,

  // --- Fraud model: label features and evaluation (issue #8) ---------------------------------
  /** Label features count the last 30 days of occurrence: a merchant's fraud shows through a week's label delay, and an old leak is forgotten. */
  labelWindowDays: 30,
  /** Labels waiting for the time they become known: a 30-day delay at ~300k authorizations a day, about 100 B each (1 GB). */
  labelsPendingMax: 10_000_000,
  /** Merchants with label counts (480 B each); the least recently labelled is forgotten beyond this. */
  labelMerchantsMax: 1_000_000,
  /** Terminals with label counts (480 B each); the least recently labelled is forgotten beyond this. */
  labelTerminalsMax: 2_000_000,
  /** Cards with a known fraud label: at most every card the engine holds (cardsMax). */
  labelCardsMax: 5_000_000,
  /** Chargeback rights close within about 120 days; a label later than a year is missing, not delayed. */
  labelDelayDaysMax: 365,
  /** A chargeback or imported label may be dated this far ahead of our clock: the sending system's clock drifts. */
  issuerLabelSkewMs: 5 * minuteMs,
  /** Labels in one POST /v1/labels: a file imports in pages of this many, each answered label by label. */
  labelsPerRequestMax: 500,
  /**
   * Labels of one page recorded at once: enough to fill the group commit's batches (one at a
   * time, each label waited for its own commit), few enough not to flood the store with reads.
   */
  labelsRecordedAtOnceMax: 64,
  /** An approved payment undisputed this long trains as genuine: most disputes are filed within a month of the statement. */
  genuineAfterDaysDefault: 45,
  /** The most recent fifth of training rows validates early stopping: the behaviour nearest the test window. */
  modelValidationShare: 0.2,
  /** Model contributions named in a decision's reasons: the three an analyst reads first. */
  modelReasonsMax: 3,
  /** Labelled payments remembered so a second label of one is not counted twice; past it, those older than the label window are forgotten. */
  loopLabelsRememberedMax: 1_000_000,
  /** A model score (0–100) from which a decision's contributions are computed: they cost as much as the score itself. */
  modelExplainScoreMin: 50,
  /** A 137-tree artifact is 364 KB of JSON; 8 MiB holds about 3,000 such trees and refuses floods. */
  modelBodyBytesMax: 8 * 1024 * 1024,
  /** Model documents read per page at start: each carries its trees, so a page stays tens of MB. */
  modelPageRows: 20,

  // --- Deterministic whole-system simulation (issue #9) ----------------------------------------
  /** Steps in one simulated run: ten million is hours of CPU, more is a typo. */
  simulationStepsMax: 10_000_000,
  /** Seeds in one `--seeds` sweep: a night's run is a few thousand. */
  simulationSeedsMax: 100_000,
  /** Cardholders in the simulated world: few enough that cards meet holds, codes and reissues often. */
  simulationCardholdersMax: 12,
  /** Authorizations in one simulated card-testing burst: enough to trip velocity rules. */
  simulationBurstMax: 8,
  /** Steps described when a checker fails: the story leading to the failure, short enough to read. */
  simulationStepsShownMax: 12,
} as const;

export const time = { minuteMs, hourMs, dayMs } as const;

/** Relations between limits that must hold; a violation is a configuration bug. */
export function assertLimits(): void {
  assert(limits.requestBodyBytesMax < limits.rulesetBodyBytesMax, "rulesets are larger than authorizations");
  assert(limits.rulesetBodyBytesMax < limits.modelBodyBytesMax, "a model's trees are larger than a ruleset");
  assert(limits.stateRebuildLookbackMs >= 30 * dayMs, "rebuild must cover the longest velocity window");
  assert(limits.scoringLatencyBudgetMs < 2_000, "answer before the scheme's stand-in timeout");
  assert(limits.decisionBatchDelayMs < limits.scoringLatencyBudgetMs, "batch delay is inside the budget");
  assert(Number.isSafeInteger(limits.amountMinorMax), "amounts stay exact in a double");
  assert(
    limits.pageSizeMax >= 2 * limits.walletTokensPerCardMax,
    "a card's wallet tokens, live and moved, are read in one page, so a reissue moves them all",
  );
  assert(
    limits.challengeCodeTtlMsDefault <= limits.challengeCodeTtlMsMax,
    "the default code lifetime is within NIST's ten minutes",
  );
  assert(
    limits.challengeFailuresPerCardMax >= limits.challengeAttemptsMax,
    "one challenge can spend its whole attempt budget before the card's throttle stops it",
  );
  assert(
    limits.readinessCheckTimeoutMs < limits.shutdownDrainTimeoutMs,
    "a readiness probe in flight when the stop begins ends inside the drain",
  );
  assert(
    limits.processRestartDelayMsMin < limits.processRestartDelayMsMax,
    "restarts back off from the least delay to the longest",
  );
  assert(
    limits.outboxClaimLeaseMs >=
      10 * Math.max(limits.smsSendTimeoutMs, limits.emailSendTimeoutMs, limits.pushSendTimeoutMs),
    "a claimed batch gets many sends done before its lease runs out, even with slow providers",
  );
  assert(
    limits.openingSearchDaysMax >= 14,
    "the next opening of any weekly line is found across a holiday week followed by a full week",
  );
}
