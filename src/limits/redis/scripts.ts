/**
 * The Redis backend's two scripts, one round trip each. Redis runs a script alone, so the
 * check and the charge of all of a request's counters are one atomic step across every
 * replica. The clock is the Redis server's (TIME), so replicas with skewed clocks agree.
 * The window arithmetic is ../window.ts's: keep the two in step.
 *
 * A window is a hash: bucket index -> amount, plus 't' (running total), 'o' (oldest
 * bucket still counted) and 'n' (newest bucket charged). Only keys named in KEYS are touched.
 */
const COMMON = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local function bucket_ms(w) return math.max(1000, math.floor(w / 1440)) end
local function field(b) return string.format('%d', b) end
local function charge(key, w, amount)
  local g = bucket_ms(w)
  local b = math.floor(now / g)
  redis.call('HINCRBY', key, field(b), amount)
  redis.call('HINCRBY', key, 't', amount)
  redis.call('HSETNX', key, 'o', field(b))
  redis.call('HSET', key, 'n', field(b))
  redis.call('PEXPIRE', key, w + g)
end
`;

/** KEYS: one per check. ARGV: mode ('admit'|'peek'), id, leaseMs, then kind, limit, amount, span per check. */
export const ADMIT_SCRIPT = `${COMMON}
-- Drops the buckets that have left the window; returns the total and the newest bucket.
local function prune(key, w, g)
  local state = redis.call('HMGET', key, 'o', 't', 'n')
  local oldest = tonumber(state[1])
  if not oldest then return 0, 0 end
  local total, newest = tonumber(state[2]), tonumber(state[3])
  local first = math.floor((now - w) / g)
  if first <= oldest then return total, newest end
  if first - oldest > redis.call('HLEN', key) then
    for _, f in ipairs(redis.call('HKEYS', key)) do
      local b = tonumber(f)
      if b and b < first then
        total = total - tonumber(redis.call('HGET', key, f))
        redis.call('HDEL', key, f)
      end
    end
  else
    for b = oldest, first - 1 do
      local v = redis.call('HGET', key, field(b))
      if v then
        total = total - tonumber(v)
        redis.call('HDEL', key, field(b))
      end
    end
  end
  redis.call('HSET', key, 't', total, 'o', field(first))
  return total, newest
end
local function frees_in(key, w, g, need)
  local buckets = {}
  for _, f in ipairs(redis.call('HKEYS', key)) do
    local b = tonumber(f)
    if b then buckets[#buckets + 1] = b end
  end
  table.sort(buckets)
  local freed = 0
  for _, b in ipairs(buckets) do
    freed = freed + tonumber(redis.call('HGET', key, field(b)))
    if freed >= need then return (b + 1) * g + w - now end
  end
  return -1
end

local admit, id, lease = ARGV[1] == 'admit', ARGV[2], tonumber(ARGV[3])
local n = #KEYS
local used, reset = {}, {}
local failed, retry = 0, 0
for i = 1, n do
  local key, base = KEYS[i], 3 + (i - 1) * 4
  local kind, limit, amount, span = ARGV[base + 1], tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3]), tonumber(ARGV[base + 4])
  local u, r, wait = 0, 0, 0
  if kind == 'window' then
    local g = bucket_ms(span)
    local newest
    u, newest = prune(key, span, g)
    if u > 0 then r = (newest + 1) * g + span - now end
    if amount > 0 and u + amount > limit then
      if amount > limit then wait = -1 else wait = frees_in(key, span, g, u + amount - limit) end
    end
  elseif kind == 'month' then
    u = tonumber(redis.call('GET', key) or '0')
    r = math.max(0, span - now)
    if amount > 0 and u + amount > limit then
      if amount > limit then wait = -1 else wait = r end
    end
  else
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
    u = redis.call('ZCARD', key)
    if amount > 0 and u + amount > limit then wait = 1000 end
  end
  used[i], reset[i] = u, r
  if wait ~= 0 then
    if failed == 0 then failed = i end
    if retry < 0 or wait < 0 then retry = -1 else retry = math.max(retry, wait) end
  end
end

if admit and failed == 0 then
  for i = 1, n do
    local key, base = KEYS[i], 3 + (i - 1) * 4
    local kind, amount, span = ARGV[base + 1], tonumber(ARGV[base + 3]), tonumber(ARGV[base + 4])
    if kind == 'window' then
      if amount > 0 then
        charge(key, span, amount)
        reset[i] = (math.floor(now / bucket_ms(span)) + 1) * bucket_ms(span) + span - now
      end
    elseif kind == 'month' then
      redis.call('INCRBY', key, amount)
      -- Kept a day past the month's end so the admin view can still show the month just ended.
      redis.call('PEXPIREAT', key, span + 86400000)
    else
      redis.call('ZADD', key, now + lease, id)
      redis.call('PEXPIRE', key, lease)
    end
    used[i] = used[i] + amount
  end
end

local out = { failed == 0 and 1 or 0, now, failed - 1, retry }
for i = 1, n do
  out[#out + 1] = used[i]
  out[#out + 1] = reset[i]
end
return out
`;

/** KEYS: one per check. ARGV: id, at (the admission's server time), then kind, delta, span per check. */
export const SETTLE_SCRIPT = `${COMMON}
local id, at = ARGV[1], tonumber(ARGV[2])
for i = 1, #KEYS do
  local key, base = KEYS[i], 2 + (i - 1) * 3
  local kind, delta, span = ARGV[base + 1], tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3])
  if kind == 'concurrency' then
    redis.call('ZREM', key, id)
  elseif kind == 'window' and delta < 0 then
    -- A refund goes back to the bucket it was charged to, if that bucket still counts.
    local f = field(math.floor(at / bucket_ms(span)))
    local back = math.min(-delta, tonumber(redis.call('HGET', key, f) or '0'))
    if back > 0 then
      redis.call('HINCRBY', key, f, -back)
      redis.call('HINCRBY', key, 't', -back)
    end
  elseif kind == 'window' and delta > 0 then
    -- An overrun is charged now: the reservation's bucket may have left the window already.
    charge(key, span, delta)
  elseif kind == 'month' and delta ~= 0 and redis.call('EXISTS', key) == 1 then
    local held = tonumber(redis.call('GET', key))
    redis.call('INCRBY', key, math.max(delta, -held))
  end
end
return 1
`;
