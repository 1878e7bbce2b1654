#!/usr/bin/env bash
# Builds a Java 17 base image for Dockerfile.jvm from Debian packages, for machines that reach no image registry:
# mmdebstrap installs openjdk-17-jre-headless into a fresh root from this machine's own apt sources, and podman
# imports it. About a minute; run as root (mmdebstrap's default mode). Prints the image's name.
#
#   src/main/docker/debian-base.sh [image name]     default localhost/aks-headroom-base:bookworm-jre17
#
# Then: podman build --build-arg BASE_IMAGE=<that name> -f src/main/docker/Dockerfile.jvm .
set -euo pipefail

image="${1:-localhost/aks-headroom-base:bookworm-jre17}"
for tool in mmdebstrap podman; do
  if ! command -v "$tool" >/dev/null; then
    echo "$0: '$tool' is missing: apt-get install -y --no-install-recommends podman runc mmdebstrap" >&2
    exit 1
  fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# essential: Debian's Essential:yes packages plus the JRE, no apt (nothing installs anything in the image later).
# Documentation, manual pages and translations are not needed to run a JVM: about 60 MB less. update-alternatives
# links java's manual page, so its directory must exist even though the pages are not unpacked. User 185 (group 0)
# is the service's, as in Red Hat's UBI Java images, so nothing has to invent a passwd entry for it at run time.
# /etc/hosts, resolv.conf and hostname exist, empty of this machine's own, for the runtime to mount its own over;
# /etc/mtab is the usual link, so no runtime has to add it to the image's files.
mmdebstrap --quiet --variant=essential \
  --include=openjdk-17-jre-headless,ca-certificates \
  --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --customize-hook='echo "default:x:185:0:service user:/nonexistent:/usr/sbin/nologin" >> "$1/etc/passwd"' \
  --customize-hook='printf "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" > "$1/etc/hosts"' \
  --customize-hook=': > "$1/etc/resolv.conf"; : > "$1/etc/hostname"; ln -sf ../proc/self/mounts "$1/etc/mtab"' \
  bookworm "$work/root.tar" >&2

# The import gives the image what a registry image's config would: a PATH, and the C.UTF-8 locale Debian ships.
podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --message "openjdk-17-jre-headless on Debian bookworm, by $(basename "$0")" \
  "$work/root.tar" "$image" >&2
echo "$image"
