/**
 * The ruleset a new issuer starts with. Each rule encodes a signal the seed pages (Rakuten Card,
 * Diners Club, Amex SafeKey) name as a reason an issuer stops a payment; docs/rules.md explains
 * each one and its reason code.
 */
export const defaultRulesetName = "default";

export const defaultRulesetText = `# mimamori default ruleset. Amounts are in yen (base currency minor units).
# No score alone declines: risky use is held and the cardholder asked, so a genuine cardholder
# can release it at once. Only rules that are near-certain force a decline.
thresholds step_up 40 hold 60

# Cards that must not pay. The engine enforces these too; the rules make the reason visible.
rule card_blocked "The card is blocked or was replaced"
  when card.state in ["blocked", "replaced"]
  then decline reason card_blocked

rule card_on_hold "The card is on hold until the cardholder confirms recent use"
  when card.state == "suspended"
  then decline reason card_on_hold

rule card_locked "The cardholder has locked the card"
  when card.state == "locked"
  then decline reason card_locked

# An authentication value that is unknown, already spent, expired or for another payment: a
# replayed or forged 3-D Secure result. Not authenticated, so the merchant is asked to step up.
rule authentication_value_invalid "The 3-D Secure authentication value does not match this payment"
  when threeDs.status == "invalid"
  then score 40 reason authentication_value_invalid

# A stolen number used online from abroad while the cardholder sleeps (seeds 000, 001).
rule overseas_ecommerce_night "Online purchase abroad during the cardholder's night"
  when channel == "ecommerce" and isForeign and localHour < 6
  then score 45 reason overseas_ecommerce_night

rule first_use_abroad "First use of the card abroad, without the card present"
  when isForeign and profile.isFirstUseAbroad and not isCardPresent
  then score 20 reason first_use_abroad

rule new_device_abroad "Online purchase abroad from a device this card has not used"
  when channel == "ecommerce" and isForeign and device.present and not profile.isKnownDevice
  then score 10 reason new_device

# Easy-to-resell goods bought in a burst: gift cards, game consoles, electronics (seed 000).
rule resellable_repeat "Another purchase of easy-to-resell goods within ten minutes"
  when merchant.mccGroup == "resellable" and card.resellableCount10m >= 1
  then score 40 reason resellable_repeat

rule resellable_burst "A burst of easy-to-resell goods"
  when merchant.mccGroup == "resellable" and card.resellableCount10m >= 2
  then score 30 hold reason resellable_burst

# Card testing: many small authorizations at several merchants, then a large one.
rule card_testing "Many small authorizations at several merchants in a short time"
  when card.smallCount10m >= 3 and card.distinctMerchants1h >= 2
  then score 65 reason card_testing

rule card_testing_cash_out "A large purchase right after a run of small test authorizations"
  when card.smallCount1h >= 3 and amount >= 20_000
  then decline reason card_testing_cash_out

# Amounts far from what this cardholder usually spends (seed 001).
rule amount_far_from_profile "Amount far above the cardholder's usual spending"
  when profile.authorizationCount >= 10 and profile.amountRatio >= 8 and profile.amountZ >= 3
  then score 35 reason amount_far_from_profile

rule amount_extreme_for_profile "Amount dozens of times the cardholder's usual spending"
  when profile.authorizationCount >= 10 and profile.amountRatio >= 40
  then score 30 reason amount_extreme_for_profile

# Gambling and cashing out the credit line (seed 001: "換金目的", unlicensed payment services).
rule gambling_merchant "Gambling merchant"
  when merchant.mccGroup == "gambling"
  then score 35 reason gambling_merchant

rule cash_out_merchant "Quasi-cash or money transfer merchant"
  when merchant.mccGroup in ["quasi_cash", "money_transfer"]
  then score 35 reason cash_out_merchant

rule cash_out_velocity "Cash-out or gambling merchant after heavy spending in the last day"
  when merchant.mccGroup in ["quasi_cash", "money_transfer", "gambling"] and card.count24h >= 3 and card.sum24h >= 100_000
  then score 30 reason cash_out_velocity

# Velocity and travel that one person cannot produce.
rule high_velocity "Unusually many authorizations in the last hour"
  when card.count1h >= 10
  then score 30 reason high_velocity

rule countries_in_one_day "Use in several countries within a day"
  when isForeign and card.distinctCountries24h >= 2
  then score 30 reason countries_in_one_day

rule unusual_hour "A time of day this cardholder almost never uses the card"
  when profile.authorizationCount >= 20 and profile.hourShare < 0.02
  then score 15 reason unusual_hour

# The fraud model, once one is active (model.score is 0 without): what it learned from this
# issuer's own answers and labels. Very likely fraud is held; likely fraud is stepped up.
rule model_high_risk "The fraud model rates this payment as very likely fraud"
  when model.score >= 90
  then score 60 reason model_high_risk

rule model_elevated_risk "The fraud model rates this payment as likely fraud"
  when model.score >= 70 and model.score < 90
  then score 40 reason model_elevated_risk
`;
