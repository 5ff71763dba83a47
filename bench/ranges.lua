-- bench/ranges.lua — wrk script: every request asks for one random range
-- of exactly 1 MiB inside an object of SIZE bytes.
--
--   wrk -t2 -c64 -d10s --latency -s bench/ranges.lua URL -- SIZE SEED
--   wrk -t2 -c64 -d3s -s bench/ranges.lua URL -- SIZE SEED count
--
-- The range is "Range: bytes=START-END" with END = START + 1 MiB - 1 and
-- START drawn uniformly from 0 to SIZE - 1 MiB, to the byte: ranges are
-- not aligned to pages or blocks, as a player seeking in a film asks for
-- them. Each wrk thread has its own generator, seeded with SEED (default:
-- the clock) plus the thread's number, so the threads ask for different
-- ranges and two servers measured with the same SEED get the same ones.
--
-- With "count" the script also looks at every response and counts as an
-- error anything but a 206 whose body is the 1 MiB asked for (a 200 with
-- the whole object, a 404 or a 416 would make a fast but meaningless
-- benchmark). That costs wrk a copy of every body into Lua, which halves
-- what it can receive on a small machine, so bench/media.sh counts in a
-- short check run and measures without "count".
--
-- done() prints one line that bench/media.sh reads (exact numbers, where
-- wrk's own report rounds):
--   ranges: requests N bytes N seconds N
-- followed, with "count", by " non-206 N wrong-length N".

local RANGE = 1024 * 1024

local threads = {}

function setup(thread)
	table.insert(threads, thread)
	thread:set("thread_no", #threads)
end

-- globals, not locals: done() reads them from each thread with thread:get
counting, non206, short = false, 0, 0
local last_start

function init(args)
	local size = tonumber(args[1])
	if not size or size < RANGE then
		error("bench/ranges.lua: give the object's size in bytes (at least 1 MiB) after --")
	end
	last_start = size - RANGE
	math.randomseed((tonumber(args[2]) or os.time()) + 7919 * (thread_no or 0))
	-- the first draws after seeding follow the seed closely: skip a few
	for _ = 1, 16 do math.random() end
	counting = args[3] == "count"
	if not counting then
		-- wrk then neither parses the headers nor keeps the bodies
		response = nil
	end
end

function request()
	-- math.random() is a double in [0, 1): 52 bits, far more than the
	-- offsets in a 1 GiB object
	local first = math.floor(math.random() * (last_start + 1))
	return wrk.format(nil, nil, { Range = string.format("bytes=%d-%d", first, first + RANGE - 1) })
end

function response(status, headers, body)
	if status ~= 206 then
		non206 = non206 + 1
	elseif #body ~= RANGE then
		short = short + 1
	end
end

function done(summary, latency, requests)
	local line = string.format("ranges: requests %d bytes %d seconds %.6f", summary.requests,
		summary.bytes, summary.duration / 1e6)
	if threads[1] and threads[1]:get("counting") then
		local bad, wrong = 0, 0
		for _, t in ipairs(threads) do
			bad = bad + t:get("non206")
			wrong = wrong + t:get("short")
		end
		line = line .. string.format(" non-206 %d wrong-length %d", bad, wrong)
	end
	io.write(line .. "\n")
end
