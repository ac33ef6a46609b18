#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Fetches the newest Debian cloud kernel of each release named (default:
# bullseye bookworm trixie) into the kernel cache, through an apt
# configuration of its own: the machine's sources, lists and cache are not
# read or touched. Prints "RELEASE VERSION VMLINUZ" for each kernel.
# The archive is the one this machine's Debian sources name, or
# EXECSNOOP_DEBIAN_MIRROR (and EXECSNOOP_DEBIAN_SECURITY); the lists are
# refreshed when older than a day, or always with EXECSNOOP_KERNEL_REFRESH=1.
# Exit status 2 (with the reason on stderr): the archive cannot be reached and
# nothing is cached, or the cache cannot be written.
set -eu

CACHE=${EXECSNOOP_KERNEL_CACHE:-/var/cache/execsnoop-kernels}
KEYRING=${EXECSNOOP_DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
RELEASES=${*:-bullseye bookworm trixie}

die() {
	echo "fetch: $*" >&2
	exit 1
}

unreachable() {
	echo "fetch: $*" >&2
	exit 2
}

# The Debian archive (and security archive) this machine's apt uses: the
# first URI of its sources that ends in /debian (/debian-security).
machine_uri() { # SUFFIX
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		sed -n -e 's/^URIs:[[:space:]]*//p' \
			-e 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\).*/\2/p' "$f"
	done | tr ' ' '\n' | sed 's|/*$||' | grep -m1 "/$1\$" || true
}

MIRROR=${EXECSNOOP_DEBIAN_MIRROR:-$(machine_uri debian)}
SECURITY=${EXECSNOOP_DEBIAN_SECURITY:-$(machine_uri debian-security)}
[ -n "$MIRROR" ] || unreachable "no Debian archive in /etc/apt sources; set EXECSNOOP_DEBIAN_MIRROR"
[ -r "$KEYRING" ] || unreachable "no Debian archive keyring at $KEYRING (package debian-archive-keyring)"
command -v apt-get >/dev/null 2>&1 || unreachable "no apt-get on this machine"
mkdir -p "$CACHE" 2>/dev/null && [ -w "$CACHE" ] ||
	unreachable "cannot write to the kernel cache $CACHE: run as root or set EXECSNOOP_KERNEL_CACHE"
# one fetch at a time per cache
exec 9>"$CACHE/lock"
flock 9

# apt-get/apt-cache with RELEASE's private configuration.
papt() { # RELEASE apt-get|apt-cache ARGS...
	d=$CACHE/apt/$1
	tool=$2
	shift 2
	"$tool" -q \
		-o Dir::Etc::SourceList="$d/sources.list" \
		-o Dir::Etc::SourceParts="$d/sources.list.d" \
		-o Dir::Etc::Preferences=/dev/null \
		-o Dir::Etc::PreferencesParts="$d/preferences.d" \
		-o Dir::State="$d/state" \
		-o Dir::State::Lists="$d/state/lists" \
		-o Dir::State::status="$d/state/status" \
		-o Dir::Cache="$d/cache" \
		-o Dir::Cache::Archives="$d/cache/archives" \
		-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
		-o APT::Architecture=amd64 -o APT::Architectures::=amd64 \
		-o APT::Sandbox::User=root \
		-o Acquire::Languages=none \
		"$@"
}

# Writes RELEASE's private sources and state, refreshes its lists when stale.
setup() { # RELEASE
	d=$CACHE/apt/$1
	mkdir -p "$d/sources.list.d" "$d/preferences.d" "$d/state/lists/partial" \
		"$d/cache/archives/partial"
	: >>"$d/state/status"
	{
		echo "deb [signed-by=$KEYRING] $MIRROR $1 main"
		echo "deb [signed-by=$KEYRING] $MIRROR $1-updates main"
		[ -z "$SECURITY" ] || echo "deb [signed-by=$KEYRING] $SECURITY $1-security main"
	} >"$d/sources.list.new"
	fresh=$(find "$d/state/lists" -maxdepth 1 -name '*_InRelease' -mmin -1440 2>/dev/null | head -1)
	if cmp -s "$d/sources.list.new" "$d/sources.list" && [ -n "$fresh" ] &&
		[ "${EXECSNOOP_KERNEL_REFRESH:-0}" != 1 ]; then
		rm -f "$d/sources.list.new"
		return 0
	fi
	mv "$d/sources.list.new" "$d/sources.list"
	# a suite that does not exist (no -updates any more) is not an error
	papt "$1" apt-get update >"$d/update.log" 2>&1 || true
	ls "$d/state/lists/"*"_dists_$1_main_binary-amd64_Packages"* >/dev/null 2>&1 ||
		return 1
}

# The kernel package linux-image-cloud-amd64 points at in RELEASE.
kernel_package() { # RELEASE
	papt "$1" apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		sed -n 's/^[[:space:]]*Depends:[[:space:]]*\(linux-image-[0-9][^[:space:]]*-cloud-amd64\(-unsigned\)\{0,1\}\)$/\1/p' |
		head -1
}

for rel in $RELEASES; do
	if ! setup "$rel"; then
		if [ -s "$CACHE/$rel/version" ]; then
			echo "fetch: $rel: the archive cannot be reached, using the cached kernel" >&2
		else
			unreachable "$rel: the Debian archive $MIRROR cannot be reached: $(grep -m1 -E '^(E|W):' "$CACHE/apt/$rel/update.log" || echo "apt-get update failed")"
		fi
	else
		pkg=$(kernel_package "$rel")
		[ -n "$pkg" ] || die "$rel: linux-image-cloud-amd64 depends on no versioned kernel package"
		ver=$(papt "$rel" apt-cache show --no-all-versions "$pkg" | sed -n 's/^Version: //p' | head -1)
		if [ "$(cat "$CACHE/$rel/version" 2>/dev/null)" != "$pkg $ver" ] || [ ! -s "$CACHE/$rel/vmlinuz" ]; then
			echo "fetch: $rel: downloading $pkg $ver" >&2
			dl=$CACHE/apt/$rel/download
			rm -rf "$dl" "$CACHE/$rel.new"
			mkdir -p "$dl" "$CACHE/$rel.new"
			(cd "$dl" && papt "$rel" apt-get download "$pkg=$ver" >/dev/null) ||
				die "$rel: apt-get download $pkg=$ver failed"
			deb=$(find "$dl" -maxdepth 1 -name "*.deb" | head -1)
			dpkg-deb -x "$deb" "$dl/root" || die "$rel: cannot unpack $deb"
			vmlinuz=$(find "$dl/root/boot" -name "vmlinuz-*" 2>/dev/null | head -1)
			[ -n "$vmlinuz" ] || die "$rel: no /boot/vmlinuz-* in $deb"
			cp "$vmlinuz" "$CACHE/$rel.new/vmlinuz"
			echo "$pkg $ver" >"$CACHE/$rel.new/version"
			rm -rf "${CACHE:?}/$rel" "$dl"
			mv "$CACHE/$rel.new" "$CACHE/$rel"
		fi
	fi
	read -r pkg ver <"$CACHE/$rel/version"
	echo "$rel $ver $CACHE/$rel/vmlinuz"
done
