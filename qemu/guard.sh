#!/usr/bin/env bash
# Removes what a harness script leaves behind when it dies without cleaning
# up (SIGKILL, a CI runner's timeout). The script starts this beside itself,
# in a session of its own (ncns_guard in netns.sh), so that signals sent to
# the script's process group do not reach it. When OWNER_PID has ended,
# however it ended, it kills the processes left in the network namespace
# NAME by PID (ip netns pids: they are the run's, by the namespace's name),
# deletes the namespace with its taps, and removes each PATH (a temporary
# file or directory, with what it holds). After a clean
# exit the owner has removed them itself, and nothing is left to do.
#
# usage: guard.sh OWNER_PID [--netns NAME] [--remove PATH]...
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=qemu/netns.sh
. "$here/netns.sh"

owner=${1:-}
case $owner in '' | *[!0-9]*)
	echo "usage: guard.sh OWNER_PID [--netns NAME] [--remove PATH]..." >&2
	exit 2
	;;
esac
shift
netns_names=() paths=()
while [ $# -ge 2 ]; do
	case $1 in
	--netns) netns_names+=("$2") ;;
	--remove) paths+=("$2") ;;
	*) break ;;
	esac
	shift 2
done
if [ $# -gt 0 ]; then
	echo "guard.sh: unexpected '$1'" >&2
	exit 2
fi

# tail checks every 0.2 s whether the owner still exists.
tail --pid="$owner" -s 0.2 -f /dev/null
for name in "${netns_names[@]}"; do
	ncns_remove "$name"
done
for path in "${paths[@]}"; do
	rm -rf -- "$path"
done
exit 0
