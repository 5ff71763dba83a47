# tests/lib/server.sh — start and stop a real cinemateca server for tests.
# shellcheck shell=bash
#
# Source it from a bash script that has already cd'ed to the project root:
#
#   . tests/lib/server.sh
#   server_make_demo "$dir/archive"   # build/cinemateca -a DIR demo
#   server_start "$dir/archive"       # sets BASE=http://127.0.0.1:PORT, SERVER_PID
#   curl "$BASE/"
#   server_stop                       # SIGTERM, wait, fail if it did not exit 0
#
# The binary is $CINEMATECA (default build/cinemateca, relative to the
# project root; the sanitizer build is build/asan/cinemateca). The server
# listens on 127.0.0.1 port 0 and announces its port on stdout with
#   cinemateca: serving DIR on http://127.0.0.1:PORT/
# An EXIT trap stops a server that is still running and runs every command
# registered with at_exit, so a failing test leaves no process behind.
# Sourcing this file sets the EXIT, INT and TERM traps: callers register
# their own clean-up with at_exit instead of calling trap.
#
# Every function prints what went wrong (with the tail of the server's
# stderr) and returns non-zero on failure, so under `set -e` the caller
# stops loudly.

CINEMATECA=${CINEMATECA:-build/cinemateca}

SERVER_PID=
SERVER_LOG_DIR=
SERVER_START_TIMEOUT=${SERVER_START_TIMEOUT:-10}   # seconds to wait for "serving"
SERVER_STOP_TIMEOUT=${SERVER_STOP_TIMEOUT:-10}     # seconds to wait after SIGTERM
SERVER__AT_EXIT=()

# at_exit CMD [ARG...]: run the command when the script exits, however it
# exits (last registered runs first).
at_exit() {
	local quoted
	printf -v quoted '%q ' "$@"
	SERVER__AT_EXIT=("$quoted" "${SERVER__AT_EXIT[@]}")
}

server__on_exit() {
	local rc=$?
	server_stop || true
	local cmd
	for cmd in "${SERVER__AT_EXIT[@]}"; do
		eval "$cmd" || true
	done
	if [[ -n $SERVER_LOG_DIR ]]; then
		rm -rf -- "$SERVER_LOG_DIR"
	fi
	return "$rc"
}
trap server__on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# server__now_ms: wall-clock milliseconds (EPOCHREALTIME, whatever the
# locale's decimal mark).
server__now_ms() {
	local t=${EPOCHREALTIME//[!0-9]/}
	echo $((t / 1000))
}

# server__tail: show the end of the server's output, for failure messages.
server__tail() {
	local f
	for f in "$SERVER_LOG_DIR/stdout" "$SERVER_LOG_DIR/stderr"; do
		[[ -s $f ]] || continue
		echo "--- server ${f##*/} (last 40 lines) ---" >&2
		tail -n 40 -- "$f" >&2
	done
}

# server_check_binary: fail with a hint when $CINEMATECA is not runnable.
server_check_binary() {
	if [[ ! -x $CINEMATECA ]]; then
		echo "error: $CINEMATECA is not an executable (run make, or set CINEMATECA)" >&2
		return 1
	fi
}

# server_make_demo DIR: create (or refresh) the demo archive in DIR.
server_make_demo() {
	local dir=$1 out
	server_check_binary || return 1
	if ! out=$("$CINEMATECA" -a "$dir" demo 2>&1); then
		echo "error: $CINEMATECA -a $dir demo failed:" >&2
		printf '%s\n' "$out" >&2
		return 1
	fi
}

# server_start ARCHIVE [EXTRA SERVE ARGS...]: start serving ARCHIVE in the
# background and wait until it says it is listening. Exports BASE (no
# trailing slash) and SERVER_PID. Fails if the server exits or stays
# silent for SERVER_START_TIMEOUT seconds.
server_start() {
	local archive=$1
	shift
	if [[ -n $SERVER_PID ]]; then
		echo "error: server_start: a server is already running (pid $SERVER_PID)" >&2
		return 1
	fi
	server_check_binary || return 1
	[[ -n $SERVER_LOG_DIR ]] || SERVER_LOG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-server.XXXXXX")
	: >"$SERVER_LOG_DIR/stdout"
	: >"$SERVER_LOG_DIR/stderr"

	"$CINEMATECA" -a "$archive" serve --listen 127.0.0.1:0 "$@" \
		>"$SERVER_LOG_DIR/stdout" 2>"$SERVER_LOG_DIR/stderr" </dev/null &
	SERVER_PID=$!
	export SERVER_PID

	local deadline=$(($(server__now_ms) + SERVER_START_TIMEOUT * 1000)) line url
	while :; do
		line=$(grep -m1 '^cinemateca: serving .* on http://' "$SERVER_LOG_DIR/stdout" || true)
		if [[ -n $line ]]; then
			url=${line##* on }
			BASE=${url%/}
			export BASE
			return 0
		fi
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			local rc=0
			wait "$SERVER_PID" || rc=$?
			SERVER_PID=
			echo "error: server exited with status $rc before it was listening" >&2
			server__tail
			return 1
		fi
		if (($(server__now_ms) >= deadline)); then
			echo "error: server did not print its serving line within ${SERVER_START_TIMEOUT}s" >&2
			kill -KILL "$SERVER_PID" 2>/dev/null || true
			wait "$SERVER_PID" 2>/dev/null || true
			SERVER_PID=
			server__tail
			return 1
		fi
		sleep 0.05
	done
}

# server_alive: succeed while the server started by server_start runs.
server_alive() {
	[[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null
}

# server_stop: SIGTERM the server and wait for it. Fails (showing its
# output) unless it exits with status 0 within SERVER_STOP_TIMEOUT
# seconds: a crash, a sanitizer report or a hang on shutdown is a failure.
server_stop() {
	[[ -n $SERVER_PID ]] || return 0
	local pid=$SERVER_PID rc=0 deadline=$(($(server__now_ms) + SERVER_STOP_TIMEOUT * 1000))
	SERVER_PID=
	kill -TERM "$pid" 2>/dev/null || true
	while kill -0 "$pid" 2>/dev/null && (($(server__now_ms) < deadline)); do
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		echo "error: server (pid $pid) ignored SIGTERM for ${SERVER_STOP_TIMEOUT}s; killed" >&2
		server__tail
		return 1
	fi
	wait "$pid" || rc=$?
	if ((rc != 0)); then
		echo "error: server (pid $pid) exited with status $rc after SIGTERM" >&2
		server__tail
		return 1
	fi
}
