#!/usr/bin/env bash
# keyring.sh - private, throwaway OS keychain (gnome-keyring Secret Service on a private D-Bus session
# bus) for OBS Sync's tests, so keytar/libsecret never touch the real user's keyring.
#
# Usage:  test/support/keyring.sh start DIR          default collection unlocked (random password)
#         test/support/keyring.sh start-locked DIR   default collection locked (stores must fail)
#         test/support/keyring.sh stop [--purge] DIR
#
# start: DIR must be new/empty or a directory this script created earlier (marker .obs-sync-keyring;
#        it is then stopped and wiped). Starts dbus-daemon (own config, socket DIR/run/bus) and
#        gnome-keyring-daemon --foreground --unlock --components=secrets (password on stdin, in its own
#        session via setsid so it outlives this script and the caller's process group), with
#        XDG_RUNTIME_DIR=DIR/run, XDG_DATA_HOME=DIR/data (mode 700), XDG_CONFIG_HOME/XDG_CACHE_HOME/HOME
#        under DIR too. Waits until org.freedesktop.secrets has an owner (20 s). Writes DIR/env.json and
#        DIR/env.sh; last stdout line "KEYRING READY <bus address>"; all logging goes to stderr.
#        Callers only need DBUS_SESSION_BUS_ADDRESS from env.json in the environment of the code under test.
# stop:  kills gnome-keyring-daemon and dbus-daemon by the PIDs in DIR/run/*.pid (only if
#        /proc/PID/comm matches), TERM then KILL after 2 s; idempotent; --purge also deletes DIR.
#
# Why it looks like this (verified on Debian 12, gnome-keyring 42.1, dbus 1.14):
#  - Private XDG dirs: with the real ones a second run with another password fails ("Cannot create an
#    item in a locked collection") because the old login keyring is found again.
#  - Own dbus-daemon config without <servicedir>: nothing is D-Bus-activated on this bus. The stock
#    session config would auto-start a second, untracked gnome-keyring-daemon (and the gcr password
#    prompter) on demand; without activation a request that needs a prompt fails instead of opening a
#    dialog, and a call after the keyring daemon died fails with ServiceUnknown instead of respawning it.
#  - start-locked = start unlocked, then Secret Service Lock() on the "default" alias collection (login).
#    Tried on this bus: a store into it fails in ~40 ms ("Cannot create an item in a locked collection";
#    gnome-keyring logs "couldn't create system prompt: ... ServiceUnknown"); lookups return nothing
#    (keytar getPassword -> null, not an error). Starting without --unlock and no keyring instead gives
#    "Object does not exist at path .../collection/login" (no default collection: not a locked keyring);
#    restarting without --unlock over an existing login keyring behaves like Lock() but costs a restart.
#    With stock session activation: no DISPLAY -> gcr-prompter exits 1 and the store fails in ~0.2 s;
#    under Xvfb -> the prompter shows a password dialog and the store hangs (timeout 15 s killed it).
#  - No dbus-run-session wrapper: the caller (vitest/Playwright globalSetup) runs this script once and
#    passes DBUS_SESSION_BUS_ADDRESS on; the daemons must therefore survive this script (dbus-daemon
#    --fork, gnome-keyring-daemon under setsid with stdio redirected to a log file).
set -euo pipefail

SELF=keyring.sh
MARKER=.obs-sync-keyring
# shellcheck source-path=SCRIPTDIR source=daemon-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/daemon-lib.sh"   # log, die, process helpers, cmd_stop, ensure_packages

PKGS=(gnome-keyring dbus-daemon dbus-bin python3)
START_TIMEOUT_S=20

usage() {
  cat >&2 <<'EOF'
usage: keyring.sh start DIR
       keyring.sh start-locked DIR
       keyring.sh stop [--purge] DIR
EOF
  exit 2
}

# ---------------------------------------------------------------- stop
stop_one() { # dir pidfile-name comm
  local pid
  pid=$(pid_of "$1" "$2")
  if [[ -n $pid ]] && is_daemon "$pid" "$3"; then
    term_wait_kill --name "$3" "$pid"
    log "stopped $3 (pid $pid)"
  fi
  rm -f "$1/run/$2.pid"
}
stop_daemons() { # dir
  stop_one "$1" gnome-keyring-daemon gnome-keyring-daemon
  stop_one "$1" dbus-daemon dbus-daemon
}

# ---------------------------------------------------------------- start
bus_call() { # method args... -> dbus-send --print-reply on the private bus, to the bus itself
  dbus-send --bus="$BUS" --print-reply=literal --reply-timeout=2000 --dest=org.freedesktop.DBus \
    /org/freedesktop/DBus "org.freedesktop.DBus.$1" "${@:2}"
}

STARTING=0 BUS="" BUS_PID="" GK_PID=""
on_exit() {
  local rc=$?
  if ((rc != 0 && STARTING)); then
    log "start failed (exit $rc)"
    local f
    # killed between starting a daemon and writing its pidfile: write it now so stop_daemons sees it
    [[ -z $BUS_PID || -s $DIR/run/dbus-daemon.pid ]] || echo "$BUS_PID" >"$DIR/run/dbus-daemon.pid"
    [[ -z $GK_PID || -s $DIR/run/gnome-keyring-daemon.pid ]] || echo "$GK_PID" >"$DIR/run/gnome-keyring-daemon.pid"
    for f in "$DIR"/log/*; do [[ -s $f ]] && { printf -- '--- tail of %s\n' "$f" >&2; tail -n 20 "$f" >&2; }; done
    stop_daemons "$DIR" || true
  fi
}

cmd_start() { # locked(0|1) DIR
  local locked=$1
  (($# == 2)) || usage
  # sockets: DIR/run/bus, DIR/run/keyring/control
  DIR=$(claim_dir "$2" 20)
  local t0=$EPOCHREALTIME
  ensure_packages "${PKGS[@]}"
  mkdir -p "$DIR"/{run,data,config,cache,home,log}
  chmod 700 "$DIR"/{run,data,config,cache,home,log}

  local sock="$DIR/run/bus"
  cat >"$DIR/dbus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<!-- generated by OBS Sync test/support/keyring.sh: private session bus, no service activation -->
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path=$sock</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF

  STARTING=1
  trap on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  export XDG_RUNTIME_DIR="$DIR/run" XDG_DATA_HOME="$DIR/data" XDG_CONFIG_HOME="$DIR/config" XDG_CACHE_HOME="$DIR/cache"

  local out
  out=$(env -u DBUS_SESSION_BUS_ADDRESS HOME="$DIR/home" dbus-daemon --config-file="$DIR/dbus.conf" --fork \
    --print-address=1 --print-pid=1 </dev/null 2>>"$DIR/log/dbus-daemon.log") || die "dbus-daemon failed to start"
  BUS=$(sed -n 1p <<<"$out") BUS_PID=$(sed -n 2p <<<"$out")
  [[ -n $BUS && $BUS_PID =~ ^[0-9]+$ ]] || die "unexpected dbus-daemon output: $out"
  echo "$BUS_PID" >"$DIR/run/dbus-daemon.pid"
  is_daemon "$BUS_PID" dbus-daemon || die "dbus-daemon (pid $BUS_PID) is not running"

  local password
  password=$(head -c 24 /dev/urandom | base64 | tr -d '\n')
  DBUS_SESSION_BUS_ADDRESS="$BUS" HOME="$DIR/home" setsid gnome-keyring-daemon --foreground --unlock \
    --components=secrets <<<"$password" >>"$DIR/log/gnome-keyring-daemon.log" 2>&1 &
  GK_PID=$!
  echo "$GK_PID" >"$DIR/run/gnome-keyring-daemon.pid"

  local deadline=$((${EPOCHREALTIME%.*} + START_TIMEOUT_S)) reply=""
  while :; do
    reply=$(bus_call NameHasOwner string:org.freedesktop.secrets 2>/dev/null) || true
    [[ $reply == *true* ]] && break
    is_daemon "$GK_PID" gnome-keyring-daemon || die "gnome-keyring-daemon (pid $GK_PID) exited during startup"
    ((${EPOCHREALTIME%.*} < deadline)) || die "org.freedesktop.secrets got no owner on $BUS within ${START_TIMEOUT_S}s"
    sleep 0.05
  done
  # the name must belong to our daemon (not to anything else on this bus)
  reply=$(bus_call GetConnectionUnixProcessID string:org.freedesktop.secrets) || die "GetConnectionUnixProcessID failed"
  [[ $(tr -dc '0-9' <<<"${reply##*uint32}") == "$GK_PID" ]] || die "org.freedesktop.secrets is owned by pid '$reply', not by gnome-keyring-daemon $GK_PID"

  if ((locked)); then
    lock_default_collection
  fi

  # env.json / env.sh
  BUS="$BUS" XR="$XDG_RUNTIME_DIR" XD="$XDG_DATA_HOME" DIR_="$DIR" LOCKED="$locked" \
    GK_PID="$GK_PID" BUS_PID="$BUS_PID" write_json "$DIR/env.json" <<'EOF'
doc = {
    "DBUS_SESSION_BUS_ADDRESS": e["BUS"],
    "XDG_RUNTIME_DIR": e["XR"],
    "XDG_DATA_HOME": e["XD"],
    "dir": e["DIR_"],
    "locked": e["LOCKED"] == "1",
    "pids": {"gnome-keyring-daemon": int(e["GK_PID"]), "dbus-daemon": int(e["BUS_PID"])},
}
EOF
  {
    echo "# generated by test/support/keyring.sh; source it: . $DIR/env.sh"
    printf 'export DBUS_SESSION_BUS_ADDRESS=%q\n' "$BUS"
    printf 'export XDG_RUNTIME_DIR=%q\n' "$XDG_RUNTIME_DIR"
    printf 'export XDG_DATA_HOME=%q\n' "$XDG_DATA_HOME"
    printf 'export KEYRING_PID_GNOME_KEYRING_DAEMON=%q\nexport KEYRING_PID_DBUS_DAEMON=%q\n' "$GK_PID" "$BUS_PID"
  } >"$DIR/env.sh"

  STARTING=0
  log "ready after $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.2f", b-a}')s ($( ((locked)) && echo locked || echo unlocked)); env in $DIR/env.json and $DIR/env.sh"
  echo "KEYRING READY $BUS"
}

secrets_call() { # object-path interface.method args... -> literal reply from gnome-keyring-daemon
  dbus-send --bus="$BUS" --print-reply=literal --reply-timeout=5000 --dest=org.freedesktop.secrets "$1" "${@:2}"
}

# Lock the collection behind the "default" alias (the login keyring --unlock created) through the
# Secret Service API. Afterwards, on this bus (no prompter can be activated): creating an item fails at
# once with "Cannot create an item in a locked collection", while lookups/searches/deletes just find
# nothing (keytar: getPassword -> null, findCredentials -> [], deletePassword -> false).
lock_default_collection() {
  local coll reply
  coll=$(secrets_call /org/freedesktop/secrets org.freedesktop.Secret.Service.ReadAlias string:default) \
    || die "ReadAlias(default) failed on the Secret Service"
  coll=$(tr -d '[:space:]' <<<"$coll")
  [[ $coll == /org/freedesktop/secrets/collection/* ]] || die "no default collection to lock (ReadAlias returned '$coll')"
  secrets_call /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock "array:objpath:$coll" >/dev/null \
    || die "Secret Service Lock($coll) failed"
  reply=$(secrets_call "$coll" org.freedesktop.DBus.Properties.Get string:org.freedesktop.Secret.Collection string:Locked) \
    || die "reading Locked of $coll failed"
  [[ $reply == *true* ]] || die "$coll is still unlocked after Lock ($reply)"
  log "locked $coll"
}

case ${1:-} in
  start) shift; cmd_start 0 "$@" ;;
  start-locked) shift; cmd_start 1 "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) usage ;;
esac
