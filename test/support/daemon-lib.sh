# shellcheck shell=bash
# daemon-lib.sh - shared helpers of OBS Sync's throwaway test daemons (test/support/rgw.sh, keyring.sh).
# Not run on its own: a script sources it (after `set -euo pipefail`) relative to its own location,
#
#   SELF=rgw.sh MARKER=.obs-sync-rgw          # name in messages; marker file of directories it created
#   source "$(dirname "${BASH_SOURCE[0]}")/daemon-lib.sh"
#
# and defines two functions the helpers call back:
#   usage               prints the script's usage to stderr and exits 2
#   stop_daemons DIR    stops every daemon recorded in DIR (called by cmd_stop)
# Lint the scripts with `shellcheck -x` (follows this file via their `source-path=SCRIPTDIR` directive).
#
# Provides: log, die; alive, any_alive, is_daemon, pid_of, term_wait_kill (process helpers);
# cmd_stop (the `stop [--purge] DIR` subcommand); missing_packages, ensure_packages (apt-get);
# write_json (a ready daemon's env.json).
#
# Pitfalls these helpers handle:
#  - In a container whose PID 1 reaps slowly a stopped daemon can linger as a zombie for a moment:
#    "alive" checks the state in /proc/PID/stat, not just kill -0.
#  - PIDs come from pidfiles, which can be stale (the daemon died, its PID was reused): a PID is only
#    signalled if /proc/PID/comm is the expected daemon's name (the kernel truncates comm to 15 chars).
#  - rgw.sh and keyring.sh are usually started in parallel, and two concurrent apt-get runs fail on
#    apt's own locks: package installs are serialised with flock on /tmp/obs-sync-test-apt.lock.

: "${SELF:?set SELF (the script name used in messages) before sourcing daemon-lib.sh}"
: "${MARKER:?set MARKER (the marker file name) before sourcing daemon-lib.sh}"

GRACE_S=2   # seconds between SIGTERM and SIGKILL
APT_LOCK=/tmp/obs-sync-test-apt.lock

log() { printf '[%s] %s\n' "$SELF" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$SELF" "$*" >&2; exit 1; }

# ---------------------------------------------------------------- process helpers
alive() { # pid: running and not a zombie
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=${s##*) }
  [[ ${s:0:1} != Z ]]
}
any_alive() { # pid...
  local p
  for p in "$@"; do alive "$p" && return 0; done
  return 1
}
is_daemon() { # pid comm (comm is truncated to 15 chars by the kernel)
  [[ $1 =~ ^[0-9]+$ ]] && alive "$1" && [[ "$(cat "/proc/$1/comm" 2>/dev/null)" == "${2:0:15}" ]]
}
pid_of() { # dir pidfile-name -> pid from DIR/run/NAME.pid (empty if none)
  local f="$1/run/$2.pid"
  if [[ -s $f ]]; then tr -dc '0-9' <"$f"; fi
}

# term_wait_kill [--name NAME] PID...: TERM the given PIDs, wait up to GRACE_S, KILL what is left (and
# wait up to 2 s more for it to go). NAME only changes the SIGKILL message ("NAME (pid N)" for "pid N").
term_wait_kill() {
  local pid i name=""
  if [[ ${1:-} == --name ]]; then name=$2; shift 2; fi
  kill -TERM "$@" 2>/dev/null || true
  for ((i = 0; i < GRACE_S * 20; i++)); do any_alive "$@" || return 0; sleep 0.05; done
  for pid in "$@"; do
    if alive "$pid"; then
      log "${name:+$name (}pid $pid${name:+)} ignored SIGTERM for ${GRACE_S}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  for ((i = 0; i < 40; i++)); do any_alive "$@" || return 0; sleep 0.05; done
}

# ---------------------------------------------------------------- stop [--purge] DIR
# Stops the daemons of DIR (the script's stop_daemons) if DIR carries $MARKER; idempotent: a missing DIR
# or one without the marker is "nothing to stop" (exit 0). --purge also deletes DIR, but only if this
# script created it (marker present); otherwise it refuses (exit 1).
cmd_stop() {
  local purge=0 dir=""
  while (($#)); do
    case $1 in
      --purge) purge=1 ;;
      -*) usage ;;
      *) [[ -z $dir ]] || usage; dir=$1 ;;
    esac
    shift
  done
  [[ -n $dir ]] || usage
  if [[ ! -d $dir ]]; then log "nothing to stop: $dir does not exist"; exit 0; fi
  dir=$(cd "$dir" && pwd -P)
  if [[ ! -f $dir/$MARKER ]]; then
    ((purge == 0)) || die "$dir was not created by $SELF (no $MARKER); refusing to delete it"
    log "nothing to stop: $dir was not created by $SELF"
    exit 0
  fi
  stop_daemons "$dir"
  if ((purge)); then rm -rf -- "$dir"; log "removed $dir"; fi
  exit 0
}

# ---------------------------------------------------------------- claim_dir DIR SOCKET_SUFFIX_LEN
# Prints DIR's absolute path after making it ours: created if missing, refused if it holds files this script did
# not put there (we wipe it), leftovers of an earlier run stopped and wiped, then marked. Unix socket paths are
# limited to 107 bytes, and daemons put theirs SOCKET_SUFFIX_LEN bytes deep below DIR (a longer path would make
# them run silently without their sockets), so a DIR too long for that is refused too.
claim_dir() {
  local dir=$1 suffix=$2
  mkdir -p -- "$dir" || die "cannot create $dir"
  dir=$(cd "$dir" && pwd -P)
  if [[ ! -f $dir/$MARKER && -n "$(ls -A "$dir")" ]]; then
    die "$dir is not empty and was not created by $SELF; refusing to use (and wipe) it"
  fi
  ((${#dir} + suffix <= 107)) || die "$dir is too long for unix sockets (max $((107 - suffix)) chars)"
  if [[ -f $dir/$MARKER ]]; then
    log "$dir was created by $SELF earlier: stopping leftovers and wiping it"
    stop_daemons "$dir"
    find "$dir" -mindepth 1 -delete
  fi
  touch "$dir/$MARKER"
  printf '%s\n' "$dir"
}

# ---------------------------------------------------------------- packages
missing_packages() { # package... -> the ones dpkg does not have installed, one a line
  local p
  for p in "$@"; do
    [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" == *"install ok installed"* ]] || echo "$p"
  done
}
# ensure_packages package...: apt-installs what is missing (fresh CI machines; needs root). Serialised
# with flock: rgw.sh and keyring.sh are usually started in parallel, and two concurrent apt-get runs fail
# on apt's own locks.
ensure_packages() {
  local missing
  missing=$(missing_packages "$@" | tr '\n' ' ')
  missing=${missing% }
  [[ -n $missing ]] || return 0
  [[ $(id -u) -eq 0 ]] || die "packages missing: $missing (run as root, or: sudo apt-get install -y $missing)"
  (
    flock -w 1200 9 || die "waited 20 min for $APT_LOCK"
    missing=$(missing_packages "$@" | tr '\n' ' ')   # the other script may have installed them meanwhile
    missing=${missing% }
    [[ -n $missing ]] || exit 0
    log "installing $missing (apt-get) ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 || die "apt-get update failed"
    # shellcheck disable=SC2086 # word splitting of the package list is intended
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >&2 \
      || die "apt-get install $missing failed"
  ) 9>>"$APT_LOCK"
}

# ---------------------------------------------------------------- env files
# write_json FILE: runs the Python on stdin, which sets `doc` from the environment `e` (os.environ), and
# writes doc to FILE as indented JSON, through FILE.tmp so that a reader never sees half a file.
write_json() {
  JSON_FILE="$1" /usr/bin/python3 -c "import json, os
e = os.environ
$(cat)
tmp = e['JSON_FILE'] + '.tmp'
with open(tmp, 'w') as f:
    json.dump(doc, f, indent=2)
    f.write('\\n')
os.replace(tmp, e['JSON_FILE'])"
}
