import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { propertyParameters } from "../platform/property-parameters.ts";
import {
  indexRegistry,
  isHostName,
  loadContactRegistry,
  parseContactRegistry,
  registryPaths,
  schemaProblems,
} from "./registry.ts";
import type { ContactRegistry } from "./registry-types.ts";

type Json = Record<string, unknown>;

async function rawOf(path: string): Promise<Json> {
  return JSON.parse(await readFile(path, "utf8")) as Json;
}

/** A deep copy of the demo file, changed by `edit`, so each test breaks only what it means to. */
async function demoWith(edit: (file: Json & { phones: Json[]; channels: Json[] }) => void): Promise<unknown> {
  const file = (await rawOf(registryPaths.demoIssuer)) as Json & { phones: Json[]; channels: Json[] };
  edit(file);
  return file;
}

function messageOf(raw: unknown): string {
  const result = parseContactRegistry(raw);
  assert.equal(result.ok, false, "the registry should be refused");
  return result.ok ? "" : result.message;
}

async function loaded(path: string): Promise<ContactRegistry> {
  const result = await loadContactRegistry(path);
  assert.ok(result.ok, result.ok ? "" : result.message);
  return result.value;
}

describe("the shipped registries", () => {
  test("the demo issuer's registry parses, with its numbers in E.164", async () => {
    const registry = await loaded(registryPaths.demoIssuer);
    assert.equal(registry.issuer.name.ja, "みまもりカード");
    const lost = registry.phones.find((phone) => phone.id === "lost-stolen");
    assert.equal(lost?.e164, "+81120553310");
    assert.equal(lost?.cost, "free_dial");
    assert.deepEqual(
      registry.webDomains.map((entry) => entry.domain),
      ["mimamori-card.example"],
    );
  });

  test("the Rakuten Card example parses, marks the abolished free dial retired and dates every entry", async () => {
    const registry = await loaded(registryPaths.rakutenCardExample);
    const retired = registry.phones.filter((phone) => phone.retired !== null).map((phone) => phone.display);
    assert.deepEqual(retired, ["0120-30-6910"]);
    const center = registry.phones.find((phone) => phone.display === "0570-66-6910");
    assert.equal(center?.cost, "navi_dial");
    const entries = [
      ...registry.phones,
      ...registry.smsSenders,
      ...registry.webDomains,
      ...registry.emailDomains,
      ...registry.apps,
      ...registry.channels,
    ];
    for (const entry of entries) {
      assert.match(entry.provenance.source, /seeds\/00[0-4]|research\//);
      assert.match(entry.provenance.checkedOn, /^202[5-6]-/);
    }
  });
});

describe("registry validation", () => {
  test("every problem in a file is reported with its JSON path, not only the first", async () => {
    const raw = await demoWith((file) => {
      const issuer = file.issuer as Json;
      issuer.timeZone = "Asia/Tokio";
      issuer.closedDates = ["2026-02-30"];
      file.phones[0] = { ...file.phones[0], cost: "premium" };
      delete file.phones[2]?.purpose;
      file.phones[4] = { ...file.phones[4], provenance: { source: "demo", checkedOn: "2026-13-01" } };
      file.channels[1] = {
        ...file.channels[1],
        hours: {
          kind: "weekly",
          periods: [{ days: ["mon"], open: "18:00", close: "09:00" }],
          publicHolidays: "open",
        },
      };
      file.webDomains = [{ ...(file.webDomains as Json[])[0], domain: "Mimamori-Card.example" }];
      file.smsSenders = [
        ...(file.smsSenders as Json[]),
        { ...(file.smsSenders as Json[])[0], sender: "0120553320" },
      ];
      file.colour = "blue";
    });
    const message = messageOf(raw);
    for (const path of [
      "$.issuer.timeZone",
      "$.issuer.closedDates[0]",
      "$.phones[0].cost",
      "$.phones[2].purpose",
      "$.phones[4].provenance.checkedOn",
      "$.channels[1].hours.periods[0]",
      "$.webDomains[0].domain",
      "$.smsSenders[1].sender",
      "$.colour",
    ]) {
      assert.ok(message.includes(`${path}:`), `${path} is not named in:\n${message}`);
    }
    assert.match(message, /has 9 problems/);
  });

  test("a cost that does not match the number's type is refused, naming the right cost", async () => {
    const raw = await demoWith((file) => {
      file.phones[2] = { ...file.phones[2], cost: "navi_dial" };
    });
    assert.match(
      messageOf(raw),
      /\$\.phones\[2\]\.cost: is "navi_dial", but 0120-553-310 is a TOLL_FREE number, so its cost is "free_dial"/,
    );
  });

  test("each number type maps to one cost: 0570 navi dial, 050 IP phone, 090 mobile, a foreign number international", async () => {
    const cases: readonly [string, string][] = [
      ["0570-012-345", "navi_dial"],
      ["050-1234-5678", "ip_phone"],
      ["090-1234-5678", "mobile"],
      ["03-1234-5678", "geographic"],
      ["+1 415 555 2671", "international"],
    ];
    for (const [number, cost] of cases) {
      const wrong = cost === "geographic" ? "free_dial" : "geographic";
      const raw = await demoWith((file) => {
        file.phones[0] = { ...file.phones[0], number, cost: wrong };
      });
      assert.match(messageOf(raw), new RegExp(`its cost is "${cost}"`), number);
      const right = await demoWith((file) => {
        file.phones[0] = { ...file.phones[0], number, cost };
      });
      const result = parseContactRegistry(right);
      assert.ok(result.ok, `${number} as ${cost}: ${result.ok ? "" : result.message}`);
    }
  });

  test("a number that is not valid in the issuer's country is refused", async () => {
    const raw = await demoWith((file) => {
      file.phones[1] = { ...file.phones[1], number: "0570-12" };
    });
    assert.match(messageOf(raw), /\$\.phones\[1\]\.number: "0570-12" is not a valid phone number in JP/);
  });

  test("the same number written twice, and an id used by a phone and a channel, are refused", async () => {
    const raw = await demoWith((file) => {
      file.phones[1] = { ...file.phones[1], number: "+81 3 4578 2310" };
      file.channels[0] = { ...file.channels[0], id: "fraud-desk" };
    });
    const message = messageOf(raw);
    assert.match(message, /\$\.phones\[1\]\.number: \+81345782310 is already listed at \$\.phones\[0\]/);
    assert.match(message, /\$\.channels\[0\]\.id: id "fraud-desk" is already used at \$\.phones\[0\]\.id/);
  });

  test("a line with unpublished hours cannot serve a situation, since guidance says what is open", async () => {
    const raw = await demoWith((file) => {
      file.phones[0] = { ...file.phones[0], hours: { kind: "unpublished" } };
    });
    assert.match(
      messageOf(raw),
      /\$\.phones\[0\]\.situations: must be empty while the hours are unpublished/,
    );
  });

  test("an unknown hours kind names its choices instead of every branch's complaint", async () => {
    const raw = await demoWith((file) => {
      file.phones[0] = { ...file.phones[0], hours: { kind: "sometimes" } };
    });
    const message = messageOf(raw);
    assert.match(message, /\$\.phones\[0\]\.hours\.kind: must be one of "always", "unpublished", "weekly"/);
    assert.match(message, /has 1 problem:/);
  });

  test("host names must be lowercase ASCII; an IDN is written in its punycode form", () => {
    assert.equal(isHostName("rakuten-card.co.jp"), true);
    assert.equal(isHostName("xn--eckwd4c7c.xn--zckzah"), true);
    assert.equal(isHostName("Rakuten-Card.co.jp"), false);
    assert.equal(isHostName("楽天カード.jp"), false);
    assert.equal(isHostName("192.0.2.1"), false);
    assert.equal(isHostName("localhost"), false);
  });

  test("removing any required field of any phone is reported at exactly that path", async (t) => {
    const file = (await rawOf(registryPaths.demoIssuer)) as Json & { phones: Json[] };
    const fields = [
      "id",
      "number",
      "purpose",
      "direction",
      "sendsSms",
      "hours",
      "cost",
      "callersFrom",
      "situations",
      "provenance",
    ];
    const parameters = propertyParameters(100);
    const seed = parameters.seed ?? Date.now() % 2_147_483_647;
    t.diagnostic(`seed=${seed} (replay: FC_SEED=${seed})`);
    fc.assert(
      fc.property(fc.nat(file.phones.length - 1), fc.constantFrom(...fields), (index, field) => {
        const broken = structuredClone(file);
        delete broken.phones[index]?.[field];
        const message = messageOf(broken);
        assert.ok(message.includes(`$.phones[${index}].${field}: is missing`), message);
      }),
      { ...parameters, seed },
    );
  });

  test("a broken list item does not hide the items after it (TypeBox's own error list stops there)", () => {
    const list = { type: "array", items: { type: "string", minLength: 1 } } as unknown as Parameters<
      typeof schemaProblems
    >[0];
    const problems = schemaProblems(list, ["", 3, "ok", ""]);
    assert.deepEqual(
      problems.map((problem) => problem.path),
      ["$[0]", "$[1]", "$[3]"],
    );
  });
});

describe("loading", () => {
  test("a missing file is unreadable, and a file that is not JSON is invalid", async () => {
    const dir = await mkdtemp(join(tmpdir(), "registry-"));
    const missing = await loadContactRegistry(join(dir, "absent.json"));
    assert.equal(missing.ok ? "ok" : missing.code, "registry_unreadable");
    const path = join(dir, "broken.json");
    await writeFile(path, "{ version: 1 ");
    const broken = await loadContactRegistry(path);
    assert.equal(broken.ok ? "ok" : broken.code, "registry_invalid");
    assert.match(broken.ok ? "" : broken.message, /is not JSON/);
  });
});

describe("the index", () => {
  test("a registered domestic sender is found as written, in +81 form and with full-width digits", async () => {
    const index = indexRegistry(await loaded(registryPaths.rakutenCardExample));
    for (const form of [
      "0570069101",
      "0570-069-101",
      "+81570069101",
      "+81 570 069 101",
      "+810570069101",
      "０５７０－０６９－１０１",
    ]) {
      assert.equal(index.smsSender(form)?.sender, "0570069101", form);
    }
    assert.equal(index.smsSender("21092")?.sender, "21092");
    assert.equal(index.smsSender("+8121092")?.sender, "21092");
    assert.equal(index.smsSender("0570069102"), null);
    assert.equal(index.smsSender("21093"), null);
  });

  test("a line that sends our SMS is a sender even when the sender list omits it", async () => {
    const registry = await loaded(registryPaths.demoIssuer);
    const withSmsLine: ContactRegistry = {
      ...registry,
      phones: registry.phones.map((phone) =>
        phone.id === "customer-center" ? { ...phone, sendsSms: true } : phone,
      ),
    };
    assert.equal(indexRegistry(registry).smsSender("0570-055-310"), null);
    assert.equal(
      indexRegistry(withSmsLine).smsSender("+81570055310")?.note.en,
      "Customer center (operators)",
    );
  });

  test("a subdomain is ours only where the entry includes subdomains", async () => {
    const index = indexRegistry(await loaded(registryPaths.rakutenCardExample));
    assert.equal(index.webDomainOf("www.rakuten-card.co.jp")?.domain, "rakuten-card.co.jp");
    assert.equal(index.webDomainOf("rakuten-card.co.jp.example.cn"), null);
    assert.equal(index.emailDomainOf("mail.rakuten-card.co.jp")?.domain, "mail.rakuten-card.co.jp");
    assert.equal(index.emailDomainOf("x.ad02clickmailer.jp"), null);
    assert.equal(index.phoneByE164("+81570666910")?.display, "0570-66-6910");
  });
});
