#!/bin/sh
# Checks that every tool the build and the tests need is installed. On
# Debian/Ubuntu, as root or with sudo that needs no password, it installs
# what is missing with apt-get; otherwise it names the missing packages and
# the command that installs them, and fails. Nothing is fetched when all is there.
# usage: deps.sh [--bench]   (--bench: also what make bench needs)
set -u

# tc, ip and tcpdump live in /usr/sbin on Debian, which an ordinary user's
# PATH lacks.
case ":$PATH:" in
*:/usr/sbin:*) ;;
*) PATH=$PATH:/usr/sbin:/sbin ;;
esac

missing=""

need_package() {
	case " $missing " in
	*" $1 "*) ;;
	*) missing="${missing:+$missing }$1" ;;
	esac
}

have() {
	command -v "$1" >/dev/null 2>&1
}

# Either cross toolchain builds the kernel; the Makefile prefers i686-elf-.
if ! { have i686-elf-gcc && have i686-elf-ld && have i686-elf-nm && have i686-elf-objcopy; }; then
	have i686-linux-gnu-gcc || need_package gcc-i686-linux-gnu
	for tool in ld nm objcopy; do
		have "i686-linux-gnu-$tool" || need_package binutils-i686-linux-gnu
	done
fi

check_tool() {
	have "$1" || need_package "$2"
}

check_tool make make
check_tool cc gcc
check_tool qemu-system-i386 qemu-system-x86
check_tool grub-mkrescue grub-common
# grub-mkrescue only builds a BIOS-bootable image when the i386-pc modules
# are installed, and says nothing when they are not.
[ -f /usr/lib/grub/i386-pc/boot.img ] || need_package grub-pc-bin
check_tool xorriso xorriso
check_tool mformat mtools
check_tool ip iproute2
check_tool tcpdump tcpdump
# netdump.t opens the crash dumps with gdb; tc sets up its packet loss.
check_tool gdb gdb
check_tool tc iproute2
# shared-nic.t and network.t's ipv6-ns case ping the guest.
check_tool ping iputils-ping
# The harness's processes die with the script that started them (setpriv
# --pdeathsig); its guard runs in a session of its own (setsid).
check_tool setpriv util-linux
check_tool setsid util-linux
# The userns and user network backends make a user namespace with unshare.
check_tool unshare util-linux
check_tool prove perl
# make bench draws its chart with gnuplot (qemu/bench-chart.sh); only it needs it.
[ "${1:-}" = --bench ] && check_tool gnuplot gnuplot-nox

if ! have clang-format; then
	echo "deps: note: clang-format not found (optional, used by 'make format')" >&2
fi

[ -z "$missing" ] && exit 0

is_debian_like() {
	[ -r /etc/os-release ] || return 1
	# shellcheck disable=SC1091
	. /etc/os-release
	case " ${ID:-} ${ID_LIKE:-} " in
	*" debian "* | *" ubuntu "*) return 0 ;;
	esac
	return 1
}

# Installs the missing packages with apt-get when this user may (root, or
# sudo without a password: -n never prompts); else names them and the one
# command that installs them.
if have apt-get && is_debian_like; then
	if [ "$(id -u 2>/dev/null)" = 0 ]; then
		install_with=""
	elif have sudo && sudo -n true 2>/dev/null; then
		install_with="sudo -n"
	else
		install_with=none
	fi
	if [ "$install_with" != none ]; then
		echo "deps: installing $missing${install_with:+ with $install_with}" >&2
		# $install_with and $missing are lists of words: splitting is wanted.
		# shellcheck disable=SC2086
		$install_with env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || {
			echo "deps: apt-get update failed" >&2
			exit 1
		}
		# shellcheck disable=SC2086
		$install_with env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q --no-install-recommends $missing >&2 || {
			echo "deps: apt-get install failed for: $missing" >&2
			exit 1
		}
		exit 0
	fi
	echo "deps: missing packages: $missing" >&2
	echo "deps: install them with: sudo apt-get install --no-install-recommends $missing" >&2
	exit 1
fi

echo "deps: missing packages (Debian names): $missing" >&2
echo "deps: install them with your distribution's package manager" >&2
exit 1
