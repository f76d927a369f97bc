#!/bin/sh
# Installs what Berth needs on a Debian host and makes sure a Docker engine answers.
#
#   docker.io, busybox-static     always (the agent's engine; the source of the test images)
#   default-jdk-headless, maven   only when Java 17+ or mvn is missing
#   curl                          only when missing (standalone.sh polls the health check)
#   awscli                        only when no `aws` is on the PATH (the CLI's end-to-end tests)
#
# Then, if `docker info` does not answer, starts a private dockerd with the vfs storage
# driver (works inside containers and on any filesystem) and waits until it answers.
# Idempotent: on a host where all of this is done, it only checks and says so.
#
# Environment:
#   BERTH_DOCKERD_LOG       dockerd's log (default /var/log/berth-dockerd.log, else /tmp)
#   BERTH_DOCKERD_ARGS      extra dockerd arguments
#   BERTH_DOCKER_WAIT_SECS  how long to wait for dockerd to answer (default 60)
set -eu

log() { printf 'prerequisites: %s\n' "$*"; }
fail() { printf 'prerequisites: ERROR: %s\n' "$*" >&2; exit 1; }

dockerd_running() {
    if command -v pgrep >/dev/null 2>&1; then pgrep -x dockerd; else pidof dockerd; fi >/dev/null 2>&1
}

deb_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

java_major() {
    command -v java >/dev/null 2>&1 || { echo 0; return; }
    # 'openjdk version "17.0.15" ...' or '"1.8.0_412"': take the first number, or the second after 1.
    java -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

missing=""
deb_installed docker.io || command -v dockerd >/dev/null 2>&1 || missing="$missing docker.io"
deb_installed busybox-static || missing="$missing busybox-static"
java_version="$(java_major)"
case "$java_version" in '' | *[!0-9]*) java_version=0 ;; esac
[ "$java_version" -ge 17 ] || missing="$missing default-jdk-headless"
command -v mvn >/dev/null 2>&1 || missing="$missing maven"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
command -v aws >/dev/null 2>&1 || missing="$missing awscli"
command -v systemd-analyze >/dev/null 2>&1 || missing="$missing systemd"

if [ -n "$missing" ]; then
    [ "$(id -u)" -eq 0 ] || fail "missing packages:$missing; run this script as root to install them"
    log "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086 # one word per package
    apt-get install -y -q --no-install-recommends $missing
else
    log "packages present: docker, busybox-static, java $java_version, maven, curl, aws"
fi

if docker info >/dev/null 2>&1; then
    log "docker engine answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    exit 0
fi

if dockerd_running; then
    log "dockerd is running but not answering yet; waiting for it"
else
    [ "$(id -u)" -eq 0 ] || fail "docker does not answer and starting dockerd needs root"
    dockerd_log="${BERTH_DOCKERD_LOG:-/var/log/berth-dockerd.log}"
    if ! { : >>"$dockerd_log"; } 2>/dev/null; then
        dockerd_log="/tmp/berth-dockerd.log"
    fi
    log "starting a private dockerd (vfs storage driver), log in $dockerd_log"
    # shellcheck disable=SC2086 # extra arguments are words
    # setsid: the engine outlives this script and the shell that ran it.
    setsid nohup dockerd --storage-driver=vfs ${BERTH_DOCKERD_ARGS:-} >>"$dockerd_log" 2>&1 </dev/null &
    dockerd_pid=$!
fi

wait_secs="${BERTH_DOCKER_WAIT_SECS:-60}"
waited=0
until docker info >/dev/null 2>&1; do
    if [ -n "${dockerd_pid:-}" ] && ! kill -0 "$dockerd_pid" 2>/dev/null; then
        tail -n 20 "$dockerd_log" >&2 || true
        fail "dockerd exited during startup; see $dockerd_log"
    fi
    if [ "$waited" -ge "$wait_secs" ]; then
        [ -n "${dockerd_log:-}" ] && { tail -n 20 "$dockerd_log" >&2 || true; }
        fail "docker did not answer within ${wait_secs}s${dockerd_log:+; see $dockerd_log}"
    fi
    sleep 1
    waited=$((waited + 1))
done
log "docker engine answers after ${waited}s ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
