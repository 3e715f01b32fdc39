-- wrk script for bench/intake.sh: every request is a new CRM contact with an event id of its
-- own (X-Event-Id), so that the inbox stores each one (none is answered as a duplicate). Phone and
-- company are random, so that contacts seldom match one another once the dispatcher applies them.
-- Usage: wrk ... -s bench/intake.lua <url> -- <run tag>     (the tag keeps ids distinct across runs)

local threads = {}
local next_thread = 0

function setup(thread)
    next_thread = next_thread + 1
    thread:set("thread_no", next_thread)
    table.insert(threads, thread)
end

function init(args)
    prefix = (args[1] or tostring(os.time())) .. "-" .. thread_no
    counter = 0
    headers = { ["Content-Type"] = "application/json" }
    math.randomseed(os.time() * 100 + thread_no)
end

local letters = "bcdfghjklmnprstvwzaeiou"

local function word(length)
    local chars = {}
    for i = 1, length do
        local at = math.random(#letters)
        chars[i] = letters:sub(at, at)
    end
    return table.concat(chars)
end

function request()
    counter = counter + 1
    local id = prefix .. "-" .. counter
    headers["X-Event-Id"] = "evt-" .. id
    local body = string.format('{"id":"c-%s","email":"%s@bench.example.com","firstName":"Ada","lastName":"Bench",'
        .. '"phone":"020 7%07d","company":{"name":"%s %s Ltd"},"address":{"city":"London"},'
        .. '"lifecycleStage":"customer","updatedAt":"2024-03-01T10:30:00+01:00"}', id, id, math.random(0, 9999999),
        word(7), word(6))
    return wrk.format("POST", nil, headers, body)
end

function done(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local e = summary.errors
    io.write(string.format("RESULT requests=%d requests_per_s=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f"
        .. " non_2xx=%d socket_errors=%d\n", summary.requests, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
        e.status, e.connect + e.read + e.write + e.timeout))
end
