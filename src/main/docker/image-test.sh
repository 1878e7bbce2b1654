#!/usr/bin/env bash
# The container image test as CI runs it, on a clean Debian 12 machine as root: installs podman, runc and mmdebstrap
# when they are missing, then packages the application, builds the image on a Debian base made here (no registry is
# needed) and runs it as k8s/base/deployment.yaml does: ContainerImageIT, through `./mvnw -B verify -Pproduction,image`
# (production: the package without the laptop's embedded broker and demo feed).
# Not part of the plain `./mvnw -B verify`: podman and root are not every developer's, and installing them is not
# something a build should do behind one's back. Without podman the test fails and says how to install it.
set -euo pipefail
cd "$(dirname "$0")/../../.."

missing=()
for tool in podman runc mmdebstrap; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing ${missing[*]} (Debian packages podman, runc, mmdebstrap)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends podman runc mmdebstrap
fi

rm -f target/image-figures.txt
started=$(date +%s)
./mvnw -B verify -Pproduction,image
echo "Image test took $(( $(date +%s) - started )) s; figures in target/image-figures.txt:"
cat target/image-figures.txt
