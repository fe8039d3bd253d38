-- wrk script for the event-ingestion benchmark: every request is a batch of 100 site events with unique
-- idempotency keys, about contacts created by events_bench.py (contact<i>@company<i % 5000>.ru) and anonymous visitors.
local types = {"page_viewed", "product_viewed", "content_viewed", "cart_updated", "checkout_started"}
local counter = 0
local thread_id = 0
local contacts = tonumber(os.getenv("BENCH_CONTACTS") or "10000")
local key = os.getenv("BENCH_KEY")
-- A warm-up run uses other idempotency keys, so the measured run stores every event instead of answering replays.
local prefix = os.getenv("BENCH_WARMUP") and "w" or "t"

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function init(args)
  math.randomseed(tid * 7919)
end

function request()
  local parts = {}
  for j = 1, 100 do
    counter = counter + 1
    local i = counter * 16 + tid
    local who
    if i % 4 == 0 then
      who = string.format('"visitorId":"v-%d"', i % 20000)
    else
      local c = i % contacts
      who = string.format('"email":"contact%d@company%d.ru"', c, c % 5000)
    end
    parts[j] = string.format('{"type":"%s","idempotencyKey":"%s%d-%d",%s,"properties":{"path":"/catalog/item-%d","sku":"SKU-%d"}}',
      types[(i % 5) + 1], prefix, tid, counter, who, i % 500, i % 300)
  end
  local body = '{"events":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format("POST", "/api/v1/events", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end
