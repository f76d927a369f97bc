#!/bin/sh
# Builds the images that Berth's integration tests run, from local files only: no registry
# is reachable from CI.
#
#   berth-test/busybox:latest   Debian's static busybox with every applet linked (sh, sleep,
#                               echo, cat, ls, env, nc, httpd, wget, kill, ...); CMD ["sh"]
#
# Skips an image that already exists. Needs a Docker engine that answers (prerequisites.sh).
#
# Environment:
#   BERTH_TEST_IMAGE   image name (default berth-test/busybox:latest)
#   BUSYBOX            the static busybox binary (default /bin/busybox from busybox-static)
set -eu

log() { printf 'test-images: %s\n' "$*"; }
fail() { printf 'test-images: ERROR: %s\n' "$*" >&2; exit 1; }

image="${BERTH_TEST_IMAGE:-berth-test/busybox:latest}"
busybox="${BUSYBOX:-/bin/busybox}"

docker info >/dev/null 2>&1 || fail "docker does not answer; run src/main/sh/prerequisites.sh first"

if docker image inspect "$image" >/dev/null 2>&1; then
    log "$image already exists ($(docker image inspect --format '{{.Id}}' "$image" | cut -c1-19)), skipping"
    exit 0
fi

[ -x "$busybox" ] || fail "$busybox not found; install busybox-static (src/main/sh/prerequisites.sh)"
# A dynamically linked busybox would find no libc inside the image.
if command -v ldd >/dev/null 2>&1 && ldd "$busybox" >/dev/null 2>&1; then
    fail "$busybox is dynamically linked; install busybox-static"
fi

rootfs="$(mktemp -d "${TMPDIR:-/tmp}/berth-busybox-rootfs.XXXXXX")"
trap 'rm -rf "$rootfs"' EXIT INT TERM

mkdir -p "$rootfs/bin" "$rootfs/sbin" "$rootfs/usr/bin" "$rootfs/usr/sbin" \
    "$rootfs/etc" "$rootfs/root" "$rootfs/tmp" "$rootfs/var/www" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev"
chmod 0755 "$rootfs"   # mktemp made it 0700: / must be searchable for non-root users
chmod 1777 "$rootfs/tmp"
cp "$busybox" "$rootfs/bin/busybox"
chmod 0755 "$rootfs/bin/busybox"

# Link every applet where busybox --install would put it, without needing chroot.
applets=0
for path in $("$busybox" --list-full); do
    [ "$path" = "bin/busybox" ] && continue
    mkdir -p "$rootfs/$(dirname "$path")"
    ln -sf /bin/busybox "$rootfs/$path"
    applets=$((applets + 1))
done

cat >"$rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$rootfs/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP

log "importing $image from $busybox ($applets applets)"
tar -C "$rootfs" --numeric-owner --owner=0 --group=0 -c . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'CMD ["sh"]' \
    -m "Berth test image: Debian busybox-static" \
    - "$image" >/dev/null

answer="$(docker run --rm "$image" sh -c 'echo ok')"
[ "$answer" = "ok" ] || fail "$image was imported but does not run a shell (got: $answer)"
log "built $image ($(docker image inspect --format '{{.Size}}' "$image") bytes); 'sh -c \"echo ok\"' runs"
