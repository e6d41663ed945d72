import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { limits } from "../config/limits.ts";
import {
  type CardNetwork,
  cardNetworkOf,
  type DisputeChannel,
  expiryAfter,
  fraudDisputeReasonOf,
} from "./card-networks.ts";

describe("cardNetworkOf", () => {
  test("names the network of each published IIN range, at both ends of every range", () => {
    const table: [string, CardNetwork][] = [
      ["4111111111111111", "visa"],
      ["4", "visa"],
      ["5100000000000008", "mastercard"],
      ["5555555555554444", "mastercard"],
      ["2221000000000009", "mastercard"],
      ["2720999999999996", "mastercard"],
      ["378282246310005", "amex"],
      ["34", "amex"],
      ["3528000000000007", "jcb"],
      ["3589999999999999", "jcb"],
      ["30000000000004", "diners"],
      ["305999", "diners"],
      ["36227206271667", "diners"],
      ["38", "diners"],
      ["39", "diners"],
      ["6011111111111117", "discover"],
      ["644000", "discover"],
      ["649999", "discover"],
      ["6500000000000002", "discover"],
      ["6200000000000005", "unionpay"],
      ["6299999999999999", "unionpay"],
    ];
    for (const [number, network] of table) {
      assert.equal(cardNetworkOf(number), network, number);
    }
  });

  test("puts the Discover-accepted UnionPay range 622126–622925 under UnionPay, the issuing network", () => {
    for (const bin of ["622126", "622500", "622925", "6221260000000000"]) {
      assert.equal(cardNetworkOf(bin), "unionpay", bin);
    }
  });

  test("answers unknown just outside every range and for prefixes too short to decide", () => {
    for (const number of ["2220", "2721", "50", "56", "33", "35", "3527", "3590", "306"]) {
      assert.equal(cardNetworkOf(number), "unknown", number);
    }
    for (const number of ["6010", "6012", "643", "66", "1", "7", "8", "9", "0", "3", "2", "22", "5", "6"]) {
      assert.equal(cardNetworkOf(number), "unknown", number);
    }
  });

  test("refuses anything but 1 to 19 digits as a bug, not as an unknown network", () => {
    assert.throws(() => cardNetworkOf(""), /1 to 19 digits/);
    assert.throws(() => cardNetworkOf("4111 1111"), /1 to 19 digits/);
    assert.throws(() => cardNetworkOf("41111111111111111111"), /1 to 19 digits/);
  });
});

describe("fraudDisputeReasonOf", () => {
  const absent: DisputeChannel[] = ["ecommerce", "moto", "recurring"];
  const present: DisputeChannel[] = ["pos", "contactless", "atm"];

  test("files each network's card-absent and card-present fraud code per channel", () => {
    const expected: [CardNetwork, string, string][] = [
      ["visa", "10.4", "10.3"],
      ["mastercard", "4837", "4837"],
      ["amex", "F29", "F24"],
      ["discover", "UA02", "UA01"],
      ["diners", "UA02", "UA01"],
      ["jcb", "jcb_fraud", "jcb_fraud"],
      ["unionpay", "unionpay_fraud", "unionpay_fraud"],
      ["unknown", "fraud", "fraud"],
    ];
    for (const [network, absentCode, presentCode] of expected) {
      for (const channel of absent) {
        const reason = fraudDisputeReasonOf(network, channel);
        assert.equal(reason.code, absentCode, `${network} ${channel}`);
        assert.equal(reason.network, network);
        assert.ok(reason.description.length > 0);
      }
      for (const channel of present) {
        assert.equal(fraudDisputeReasonOf(network, channel).code, presentCode, `${network} ${channel}`);
      }
    }
  });

  test("marks the JCB and UnionPay codes as placeholders to confirm, not scheme numbers", () => {
    for (const network of ["jcb", "unionpay"] as const) {
      const reason = fraudDisputeReasonOf(network, "ecommerce");
      assert.match(reason.code, /^[a-z]+_fraud$/);
      assert.match(reason.description, /confirm/i);
    }
  });
});

describe("expiryAfter", () => {
  test("is the month of issue, the configured number of years later", () => {
    const nowMs = Date.UTC(2026, 4, 17, 12, 0, 0);
    assert.equal(expiryAfter(nowMs, limits.replacementCardValidityYears), "2031-05");
    assert.equal(expiryAfter(nowMs, 1), "2027-05");
  });

  test("reads the month of issue in the cardholder's time zone", () => {
    // 20:00 UTC on 31 January is already 1 February in Tokyo and still 31 January in New York.
    const nowMs = Date.UTC(2026, 0, 31, 20, 0, 0);
    assert.equal(expiryAfter(nowMs, 5), "2031-01");
    assert.equal(expiryAfter(nowMs, 5, "Asia/Tokyo"), "2031-02");
    assert.equal(expiryAfter(nowMs, 5, "America/New_York"), "2031-01");
    // December rolls the year in Tokyo before it does in UTC.
    assert.equal(expiryAfter(Date.UTC(2026, 11, 31, 16, 0, 0), 5, "Asia/Tokyo"), "2032-01");
  });

  test("refuses a non-integer or out-of-range term and an unknown zone as bugs", () => {
    assert.throws(() => expiryAfter(0, 0), /1 to 99 years/);
    assert.throws(() => expiryAfter(0, 2.5), /1 to 99 years/);
    assert.throws(() => expiryAfter(0, 100), /1 to 99 years/);
    assert.throws(() => expiryAfter(0, 5, "Mars/Olympus_Mons"), /IANA/);
  });
});
