#!/bin/sh
# Runs a one-host Berth from this checkout: all three roles (embedded Kafka, scheduler,
# agent) in one background process, then waits until it is ready.
#
#   src/main/sh/standalone.sh          start (or say that it is already running)
#   src/main/sh/standalone.sh stop     stop it
#
# Builds target/quarkus-app/quarkus-run.jar first when it is missing or older than the
# sources. Everything Berth keeps locally, the log and the pid file included, goes under
# the data directory.
#
# Environment:
#   BERTH_DATA_DIR             data directory (default $HOME/.berth)
#   QUARKUS_HTTP_PORT          port of the ECS API (default 8080)
#   QUARKUS_MANAGEMENT_PORT    port of health checks and metrics (default 9000)
#   BERTH_START_TIMEOUT_SECS   how long to wait for readiness (default 120)
#   JAVA_OPTS                  extra JVM options
set -eu

log() { printf 'standalone: %s\n' "$*"; }
fail() { printf 'standalone: ERROR: %s\n' "$*" >&2; exit 1; }

repo="$(cd "$(dirname "$0")/../../.." && pwd)"
data_dir="${BERTH_DATA_DIR:-$HOME/.berth}"
port="${QUARKUS_HTTP_PORT:-8080}"
timeout_secs="${BERTH_START_TIMEOUT_SECS:-120}"
jar="$repo/target/quarkus-app/quarkus-run.jar"
pid_file="$data_dir/berth.pid"
log_file="$data_dir/berth.log"
endpoint="http://127.0.0.1:$port"
management="http://127.0.0.1:${QUARKUS_MANAGEMENT_PORT:-9000}"

running_pid() {
    [ -f "$pid_file" ] || return 1
    pid="$(cat "$pid_file")"
    # The pid must still be this Berth, not a recycled pid.
    kill -0 "$pid" 2>/dev/null && ps -p "$pid" -o args= 2>/dev/null | grep -q 'quarkus-run.jar' || return 1
    echo "$pid"
}

http_status() {
    curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$management/q/health/ready" 2>/dev/null || true
}

stop_berth() {
    if ! pid="$(running_pid)"; then
        rm -f "$pid_file"
        log "Berth is not running"
        return 0
    fi
    log "stopping Berth (pid $pid)"
    kill "$pid"
    waited=0
    while kill -0 "$pid" 2>/dev/null; do
        [ "$waited" -lt 30 ] || fail "Berth (pid $pid) did not stop within 30s; kill -9 $pid"
        sleep 1
        waited=$((waited + 1))
    done
    rm -f "$pid_file"
    log "stopped"
}

print_usage_hints() {
    log "ECS API:  $endpoint   (aws ecs list-clusters --endpoint-url $endpoint)"
    log "health:   $management/q/health/ready"
    log "log:      $log_file"
    log "stop:     $0 stop   (or: kill \$(cat $pid_file))"
}

case "${1:-start}" in
    stop) stop_berth; exit 0 ;;
    start) ;;
    *) fail "usage: $0 [start|stop]" ;;
esac

if pid="$(running_pid)"; then
    log "Berth is already running (pid $pid)"
    print_usage_hints
    exit 0
fi

sh "$repo/src/main/sh/prerequisites.sh"
# The README tour runs a container from this locally built image (no registry is needed).
sh "$repo/src/main/sh/test-images.sh"

if [ ! -f "$jar" ] || [ -n "$(find "$repo/src/main" "$repo/pom.xml" -newer "$jar" -type f 2>/dev/null | head -n 1)" ]; then
    log "building $jar (mvn -B -q package -DskipTests)"
    (cd "$repo" && mvn -B -q package -DskipTests) || fail "the build failed"
else
    log "$jar is up to date"
fi

mkdir -p "$data_dir"
log "starting Berth with all roles, data in $data_dir"
# shellcheck disable=SC2086 # JAVA_OPTS holds several words
BERTH_DATA_DIR="$data_dir" QUARKUS_HTTP_PORT="$port" \
    nohup java ${JAVA_OPTS:-} -jar "$jar" >>"$log_file" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$pid_file"

waited=0
while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
        rm -f "$pid_file"
        tail -n 30 "$log_file" >&2 || true
        fail "Berth exited during startup; see $log_file"
    fi
    status="$(http_status)"
    [ "$status" = "200" ] && break
    if [ "$waited" -ge "$timeout_secs" ]; then
        if [ -n "$status" ] && [ "$status" != "000" ]; then
            log "WARNING: Berth answers on port $port but is not ready after ${timeout_secs}s (HTTP $status); see $log_file"
            break
        fi
        tail -n 30 "$log_file" >&2 || true
        fail "Berth did not answer on port $port within ${timeout_secs}s; it is still running as pid $pid, see $log_file"
    fi
    sleep 1
    waited=$((waited + 1))
done

log "Berth is running (pid $pid, ready after ${waited}s)"
print_usage_hints
