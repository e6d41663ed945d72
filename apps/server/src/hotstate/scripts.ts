/**
 * The Lua scripts the Redis adapter runs. Redis runs a script atomically, so a count (card
 * compare-and-set, ring additions, reservation) is one step that no other process can interleave.
 *
 * The ring arithmetic is a line-for-line port of `add()` and `remove()` in velocity-slab.ts over
 * a row's bytes: little-endian uint32s (per ring: head, count total, counts), then float64s (per
 * summed ring: sum total, sums). The layouts are written into the script from the slab itself,
 * so the two cannot drift apart, and the contract test compares the bytes both produce.
 */
import type { RingArithmetic, SharedRingKind } from "../scoring/index.ts";

function layoutLua(arithmetic: RingArithmetic): string {
  const { intStride, sumStride, rings } = arithmetic.layout;
  const ringList = rings
    .map((ring) => `{${ring.bucketMs}, ${ring.bucketCount}, ${ring.intOffset}, ${ring.sumOffset}}`)
    .join(", ");
  return `{ints = ${intStride}, sums = ${sumStride}, ttl = ${arithmetic.windowMaxMs}, rings = {${ringList}}}`;
}

/** The card row's compare-and-set, shared by every script that writes a card. */
const cardFunctions = `
local function putCardRow(key, expectedVersion, row)
  local version = tonumber(redis.call('HGET', key, 'v') or '0')
  if version ~= tonumber(expectedVersion) then return false end
  redis.call('HSET', key, 'r', row, 'v', version + 1)
  return true
end
`;

const ringFunctions = `
local function readRow(key, layout)
  local blob = redis.call('GET', key)
  local row = {}
  if blob then
    for i = 1, layout.ints do row[i] = struct.unpack('<I4', blob, (i - 1) * 4 + 1) end
    for j = 1, layout.sums do row[layout.ints + j] = struct.unpack('<d', blob, layout.ints * 4 + (j - 1) * 8 + 1) end
  else
    for i = 1, layout.ints + layout.sums do row[i] = 0 end
  end
  return row
end

local function writeRow(key, row, layout)
  local parts = {}
  for i = 1, layout.ints do parts[i] = struct.pack('<I4', row[i]) end
  for j = 1, layout.sums do parts[layout.ints + j] = struct.pack('<d', row[layout.ints + j]) end
  -- A row idle for its longest window reads empty anyway, so Redis may forget it.
  redis.call('SET', key, table.concat(parts), 'PX', layout.ttl)
end

-- Indexes are 1-based: the ring's head is row[at], its count total row[at + 1], its counts after;
-- its sum total row[s], its sums after.
local function ringAdd(row, layout, t, amount)
  for _, ring in ipairs(layout.rings) do
    local width, count, at = ring[1], ring[2], ring[3] + 1
    local s = -1
    if ring[4] >= 0 then s = layout.ints + ring[4] + 1 end
    local bucket = math.floor(t / width)
    local head = row[at]
    if bucket > head - count then
      if bucket > head then
        row[at] = bucket
        if bucket - head >= count then
          for i = at + 1, at + 1 + count do row[i] = 0 end
          if s > 0 then for i = s, s + count do row[i] = 0 end end
        else
          local position = (head + 1) % count
          for _ = head + 1, bucket do
            local countAt = at + 2 + position
            row[at + 1] = row[at + 1] - row[countAt]
            row[countAt] = 0
            if s > 0 then
              local sumAt = s + 1 + position
              row[s] = row[s] - row[sumAt]
              row[sumAt] = 0
            end
            position = (position + 1) % count
          end
        end
      end
      local position = bucket % count
      row[at + 2 + position] = row[at + 2 + position] + 1
      row[at + 1] = row[at + 1] + 1
      if s > 0 then
        row[s + 1 + position] = row[s + 1 + position] + amount
        row[s] = row[s] + amount
      end
    end
  end
end

local function ringRemove(row, layout, t, amount)
  for _, ring in ipairs(layout.rings) do
    local width, count, at = ring[1], ring[2], ring[3] + 1
    local bucket = math.floor(t / width)
    local head = row[at]
    if bucket <= head and bucket > head - count then
      local position = bucket % count
      local countAt = at + 2 + position
      if row[countAt] > 0 then
        row[countAt] = row[countAt] - 1
        row[at + 1] = row[at + 1] - 1
        if ring[4] >= 0 then
          local s = layout.ints + ring[4] + 1
          row[s + 1 + position] = row[s + 1 + position] - amount
          row[s] = row[s] - amount
        end
      end
    end
  end
end

local function changeRings(change, keys, flags, t, amount)
  local kinds = {layouts.merchant, layouts.terminal, layouts.device}
  for i = 1, 3 do
    if flags:sub(i, i) == '1' then
      local row = readRow(keys[i], kinds[i])
      change(row, kinds[i], t, amount)
      writeRow(keys[i], row, kinds[i])
    end
  end
end

local function ownerOf(reservationKey)
  local held = redis.call('GET', reservationKey)
  if not held then return nil end
  return cjson.decode(held).a.owner
end
`;

/**
 * KEYS: card, reservation, lease, merchant, terminal, device, and the merchant, terminal and
 * device of a dead attempt being taken over.
 * ARGV: 1 expected card version, 2 card row, 3 owner taken over ('' for none), 4 reservation
 * JSON, 5 reservation ttl, 6 lease ms, 7 time, 8 amount, 9 ring flags ('1' per merchant, terminal
 * and device key in use), then for the take-over: 10 time, 11 amount, 12 ring flags.
 */
const countBody = `
local heldBy = ownerOf(KEYS[2])
if ARGV[3] == '' then
  if heldBy then return 'reserved' end
elseif heldBy ~= ARGV[3] then
  return 'reserved'
end
if not putCardRow(KEYS[1], ARGV[1], ARGV[2]) then return 'card_moved' end
if ARGV[3] ~= '' then
  changeRings(ringRemove, {KEYS[7], KEYS[8], KEYS[9]}, ARGV[12], tonumber(ARGV[10]), tonumber(ARGV[11]))
end
changeRings(ringAdd, {KEYS[4], KEYS[5], KEYS[6]}, ARGV[9], tonumber(ARGV[7]), tonumber(ARGV[8]))
redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[5])
redis.call('SET', KEYS[3], '1', 'PX', ARGV[6])
return 'ok'
`;

/**
 * KEYS: card, reservation, lease, merchant, terminal, device.
 * ARGV: expected card version, card row, owner, ring flags ('000' when already removed), time, amount.
 */
const uncountBody = `
changeRings(ringRemove, {KEYS[4], KEYS[5], KEYS[6]}, ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]))
if ownerOf(KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2], KEYS[3]) end
if not putCardRow(KEYS[1], ARGV[1], ARGV[2]) then return 'card_moved' end
return 'ok'
`;

/** KEYS: card. ARGV: expected card version, card row. */
const putCardBody = `
if not putCardRow(KEYS[1], ARGV[1], ARGV[2]) then return 'card_moved' end
return 'ok'
`;

/** KEYS: card. ARGV: state, atMs. A change older than the one published is left out. */
const putCardStateBody = `
local atMs = tonumber(redis.call('HGET', KEYS[1], 'sa') or '-1')
if atMs <= tonumber(ARGV[2]) then redis.call('HSET', KEYS[1], 's', ARGV[1], 'sa', ARGV[2]) end
return 'ok'
`;

/** KEYS: card. ARGV: window JSON, untilMs. A window ending sooner than the one published is left out. */
const putAllowWindowBody = `
local untilMs = tonumber(redis.call('HGET', KEYS[1], 'wu') or '-1')
if untilMs <= tonumber(ARGV[2]) then redis.call('HSET', KEYS[1], 'w', ARGV[1], 'wu', ARGV[2]) end
return 'ok'
`;

export function hotStateScripts(arithmetic: Readonly<Record<SharedRingKind, RingArithmetic>>) {
  const layouts = `local layouts = {merchant = ${layoutLua(arithmetic.merchant)}, terminal = ${layoutLua(arithmetic.terminal)}, device = ${layoutLua(arithmetic.device)}}`;
  const prelude = `${layouts}\n${cardFunctions}\n${ringFunctions}`;
  return {
    count: `${prelude}\n${countBody}`,
    uncount: `${prelude}\n${uncountBody}`,
    putCard: `${cardFunctions}\n${putCardBody}`,
    putCardState: putCardStateBody,
    putAllowWindow: putAllowWindowBody,
  };
}
