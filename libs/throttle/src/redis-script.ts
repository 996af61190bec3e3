import { createHash } from 'node:crypto';
import { IDLE_GRACE_MS } from './gcra';

/**
 * gcra.ts in Lua, so refill, take and pause check happen in one atomic round trip. Time comes from the
 * Redis server (TIME), so workers with skewed clocks share one timeline; waits go back as durations.
 *
 * KEYS[1]  the partner's hash {tat, pause, epoch}, expiring once it carries no information
 * ARGV[1]  'reserve' | 'pause' | 'peek'
 * ARGV[2]  interval ms       ARGV[3]  tolerance ms
 * ARGV[4]  reserve: max wait ms; pause: pause ms
 * ARGV[5]  reserve: epoch of the booking being confirmed, or ''
 *
 * reserve → {granted 0|1, waitMs, epoch}; pause and peek → {pausedForMs}
 * Floats are written with %.3f: Lua's tostring keeps only 14 digits, too few for epoch milliseconds.
 */
export const BUDGET_SCRIPT = `
local key = KEYS[1]
local op = ARGV[1]
local interval = tonumber(ARGV[2])
local tolerance = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local s = redis.call('HMGET', key, 'tat', 'pause', 'epoch')
local tat = tonumber(s[1]) or now
local pause = tonumber(s[2]) or 0
local epoch = tonumber(s[3]) or 0

local function save(newTat, newPause, newEpoch)
  redis.call('HSET', key, 'tat', string.format('%.3f', newTat), 'pause', string.format('%.3f', newPause), 'epoch', newEpoch)
  redis.call('PEXPIRE', key, math.ceil(math.max(newTat, newPause) - now) + ${IDLE_GRACE_MS})
end

if op == 'peek' then
  return {math.max(0, math.ceil(pause - now))}
end

if op == 'pause' then
  local untilMs = now + tonumber(ARGV[4])
  if untilMs > pause then
    save(untilMs + tolerance, untilMs, epoch + 1)
    pause = untilMs
  end
  return {math.max(0, math.ceil(pause - now))}
end

if ARGV[5] ~= '' and tonumber(ARGV[5]) == epoch then
  return {1, 0, epoch}
end
local slot = math.max(now, tat - tolerance, pause)
local wait = slot - now
if wait > tonumber(ARGV[4]) then
  return {0, math.ceil(wait), epoch}
end
save(math.max(tat, slot) + interval, pause, epoch)
return {1, math.ceil(wait), epoch}
`;

export const BUDGET_SCRIPT_SHA = createHash('sha1').update(BUDGET_SCRIPT).digest('hex');
