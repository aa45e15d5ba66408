#!/usr/bin/env bash
# rgw.sh - throwaway single-node Ceph RADOS Gateway (S3 API with real SSE-KMS) for OBS Sync's tests.
#
# Usage:  test/support/rgw.sh start DATA_DIR
#         test/support/rgw.sh stop [--purge] DATA_DIR
#
# start: bootstraps 1 ceph-mon + 1 ceph-osd + radosgw (plain daemons, no systemd, no mgr) in DATA_DIR,
#        which must be new/empty or a directory this script created earlier (marker file .obs-sync-rgw;
#        it is then stopped and wiped). Everything is fresh per run: random ports, a new CA and server
#        certificate (DATA_DIR/tls/), random KMS keys, random S3 users. Writes DATA_DIR/env.json and
#        DATA_DIR/env.sh; the last stdout line is "RGW READY <httpsEndpoint>"; all logging goes to stderr.
# stop:  kills the daemons by the PIDs in DATA_DIR/run/*.pid (only if /proc/PID/comm matches), TERM and
#        KILL after 2 s; idempotent; --purge also deletes DATA_DIR (only if this script created it).
#
# Env:   RGW_OBJECTSTORE=memstore (default: objects in the OSD's RAM, ~2x their size in RSS; keep data small)
#                       |bluestore (objects in a sparse file DATA_DIR/osd/ceph-0/block, for big benchmarks)
#        RGW_MEMSTORE_BYTES / RGW_BLUESTORE_BYTES  OSD capacity (default 8 GiB / 20 GiB)
#        RGW_START_TIMEOUT  seconds until RGW must answer over HTTPS (default 120)
#
# Why it looks like this (pitfalls verified on Debian 12, Ceph 16.2.15):
#  - `ms mon client mode = crc`: without it radosgw hangs ~300 s trying to talk to the mon.
#  - `paxos propose interval = 0.05`: RGW creates its pools one by one; with the default 1 s per map
#    change the first start takes ~9 s instead of ~1-2 s.
#  - The OSD binds ports in 6800-7300: our random ports (mon, HTTP, HTTPS) are taken outside that range.
#  - `rgw crypt require ssl = true` makes RGW refuse SSE-KMS/SSE-C over plain HTTP (400 InvalidRequest) as
#    OBS does; so the HTTPS endpoint (beast ssl_endpoint) is the one tests use, trusting DATA_DIR/tls/ca.crt.
#    The server certificate (ECDSA P-256, SAN DNS:localhost,IP:127.0.0.1) is signed by a per-run CA
#    (not self-signed), so clients trust exactly that CA file and nothing else.
#  - curl --aws-sigv4 needs an explicit x-amz-content-sha256 header for RGW (else SignatureDoesNotMatch).
#  - Stop order radosgw -> OSD -> mon (see stop_daemons). In a container whose PID 1 reaps slowly the
#    daemons can linger as zombies for a moment after stop: check /proc/PID/stat state, not just kill -0.
#  - KMS: `rgw crypt s3 kms backend = testing` with static keys (id=base64 of 32 random bytes).
#  - Daemons get stdio redirected to files, so a caller reading our stdout to EOF does not hang.
#  - Packages are apt-installed when missing (CI machines start without them; needs root).
set -euo pipefail

SELF=rgw.sh
MARKER=.obs-sync-rgw
# shellcheck source-path=SCRIPTDIR source=daemon-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/daemon-lib.sh"   # log, die, process helpers, cmd_stop, ensure_packages
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)

DAEMONS=(client.rgw:radosgw osd.0:ceph-osd mon.a:ceph-mon)   # pidfile-name:comm, in stop order
PKGS=(ceph-mon ceph-osd ceph-common radosgw openssl curl python3 uuid-runtime)
KMS_KEY_IDS=(testkey-1 testkey-2 4f1cd4de-ab64-4807-920a-47fc42e7f0d0)
PY=/usr/bin/python3   # Debian's, not a pyenv/venv shim on PATH (those cost ~0.2 s per call)

usage() {
  cat >&2 <<'EOF'
usage: rgw.sh start DATA_DIR
       rgw.sh stop [--purge] DATA_DIR
       rgw.sh stop-gateway DATA_DIR    (radosgw only: the S3 endpoint goes away, the cluster stays)
       rgw.sh start-gateway DATA_DIR   (radosgw again, same ports and users; waits until HTTPS answers)
env:   RGW_OBJECTSTORE=memstore|bluestore  RGW_START_TIMEOUT=120
EOF
  exit 2
}

# ---------------------------------------------------------------- stop
# Stop every daemon of the cluster in $1: by recorded PID (comm must match); as a fallback (a daemon
# killed during startup before it wrote its pidfile) also processes with that comm whose command line
# contains this cluster's own ceph.conf path. One daemon after the other - radosgw, OSD, mon - each
# normally exits in ~0.1 s: radosgw's shutdown talks to the OSD, and an OSD waits for the mon to
# acknowledge its shutdown, so stopping them all at once ends in SIGKILL after the grace period.
stop_daemons() {
  local data=$1 conf="$1/ceph.conf" nc name comm pid p c pids descr=()
  local -a which=("${DAEMONS[@]}")
  [[ -z ${2:-} ]] || which=("$2")
  for nc in "${which[@]}"; do
    name=${nc%%:*} comm=${nc##*:} pids=()
    pid=$(pid_of "$data" "$name")
    if [[ -n $pid ]] && is_daemon "$pid" "$comm"; then pids+=("$pid") descr+=("$comm:$pid"); fi
    for p in /proc/[0-9]*; do
      c="" && { read -r c 2>/dev/null <"$p/comm" || true; }
      [[ $c == "$comm" && ${p#/proc/} != "$pid" ]] || continue
      if tr '\0' '\n' <"$p/cmdline" 2>/dev/null | grep -qxF -- "$conf" && alive "${p#/proc/}"; then
        pids+=("${p#/proc/}") descr+=("$comm:${p#/proc/}(no pidfile)")
      fi
    done
    ((${#pids[@]} == 0)) || term_wait_kill "${pids[@]}"
    rm -f "$data/run/$name.pid"
  done
  ((${#descr[@]} == 0)) || log "stopped ${descr[*]}"
}

# ---------------------------------------------------------------- start
# N distinct free TCP ports on 127.0.0.1 outside 6800-7300 (the OSD's range), picked by the kernel.
pick_ports() {
  "$PY" - "$1" <<'EOF'
import socket, sys
n, held, ports = int(sys.argv[1]), [], []
while len(ports) < n:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    held.append(s)  # keep bound until all are picked, so they are distinct
    p = s.getsockname()[1]
    if not 6800 <= p <= 7300:
        ports.append(p)
print(" ".join(map(str, ports)))
EOF
}

# Random S3 credentials: "AK SK OTHER_AK OTHER_SK" (20 upper-case alnum / 40 alnum characters).
rand_keys() {
  "$PY" -c 'import secrets, string
up, al = string.ascii_uppercase + string.digits, string.ascii_letters + string.digits
r = lambda a, n: "".join(secrets.choice(a) for _ in range(n))
print(r(up, 20), r(al, 40), r(up, 20), r(al, 40))'
}

make_tls() { # dir
  bash "$HERE/make-test-ca.sh" "$1" >>"$DATA/log/openssl.log" 2>&1 \
    || die "creating the TLS CA/certificate failed (see $DATA/log/openssl.log)"
}

dump_logs() {
  local f
  for f in "$DATA"/log/*; do
    [[ -s $f ]] || continue
    printf -- '--- tail of %s\n' "$f" >&2
    tail -n 20 "$f" >&2
  done
}

# A second storage class, COLD, in the default placement: objects PUT with `x-amz-storage-class: COLD` land in
# their own data pool and are listed and HEADed with that class, so storage-class uploads, listings and details
# are tested against a real server. RGW 16 has no archive tier: COLD objects are readable without a restore.
add_cold_storage_class() { # conf logdir
  local conf=$1 L=$2
  radosgw-admin -c "$conf" -n client.admin zonegroup placement add --rgw-zonegroup default \
    --placement-id default-placement --storage-class COLD </dev/null >/dev/null 2>>"$L/radosgw-admin.err" \
    || die "radosgw-admin zonegroup placement add --storage-class COLD failed"
  radosgw-admin -c "$conf" -n client.admin zone placement add --rgw-zone default \
    --placement-id default-placement --storage-class COLD --data-pool default.rgw.cold.data \
    </dev/null >/dev/null 2>>"$L/radosgw-admin.err" || die "radosgw-admin zone placement add --storage-class COLD failed"
}

BOOTSTRAPPING=0
on_exit() {
  local rc=$?
  if ((rc != 0 && BOOTSTRAPPING)); then
    log "start failed (exit $rc); logs:"
    dump_logs
    stop_daemons "$DATA" || true
    log "stopped everything; data left in $DATA for inspection (rgw.sh stop --purge $DATA removes it)"
  fi
}

cmd_start() {
  (($# == 1)) || usage
  DATA=$1
  local objectstore=${RGW_OBJECTSTORE:-memstore} timeout=${RGW_START_TIMEOUT:-120}
  [[ $objectstore == memstore || $objectstore == bluestore ]] || die "RGW_OBJECTSTORE must be memstore or bluestore, got '$objectstore'"
  [[ $timeout =~ ^[0-9]+$ ]] || die "RGW_START_TIMEOUT must be a number of seconds, got '$timeout'"
  [[ $DATA != *[[:space:]]* ]] || die "DATA_DIR must not contain whitespace (it is part of the 'rgw frontends' line): '$DATA'"
  # Ceph's admin sockets live 25 bytes below DATA; without them it runs silently crippled
  DATA=$(claim_dir "$DATA" 25)
  local t0=$EPOCHREALTIME
  ensure_packages "${PKGS[@]}"
  mkdir -p "$DATA"/{mon,osd/ceph-0,rgw,log,run}

  local mon_port http_port https_port
  read -r mon_port http_port https_port < <(pick_ports 3)
  [[ -n $https_port ]] || die "could not pick free ports"
  make_tls "$DATA/tls"
  local ca="$DATA/tls/ca.crt"

  local kms_conf="" id
  for id in "${KMS_KEY_IDS[@]}"; do kms_conf+="$id=$(openssl rand -base64 32) "; done
  local ak sk oak osk
  read -r ak sk oak osk < <(rand_keys)
  [[ -n $osk ]] || die "could not generate random S3 keys"

  local fsid conf="$DATA/ceph.conf"
  fsid=$(uuidgen)
  cat >"$conf" <<EOF
# generated by OBS Sync test/support/rgw.sh - throwaway test cluster
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
ms bind msgr2 = true
# no cephx between daemons (S3 requests are still SigV4-authenticated by RGW)
auth cluster required = none
auth service required = none
auth client required = none
# without this radosgw hangs ~300 s on its first mon session
ms mon client mode = crc
run dir = $DATA/run
admin socket = $DATA/run/\$name.asok
pid file = $DATA/run/\$name.pid
log file = $DATA/log/\$name.log
crash dir = $DATA/log
mon cluster log file = default=$DATA/log/\$cluster.\$channel.log cluster=$DATA/log/\$cluster.log
client mount timeout = 30
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail warn = 1
mon data avail crit = 0

[mon]
mon data = $DATA/mon/\$cluster-\$id
# commit map changes fast (default 1 s per pool create -> ~9 s first radosgw start)
paxos propose interval = 0.05

[osd]
osd data = $DATA/osd/\$cluster-\$id
osd objectstore = $objectstore
memstore device bytes = ${RGW_MEMSTORE_BYTES:-8589934592}
bluestore block create = true
bluestore block size = ${RGW_BLUESTORE_BYTES:-21474836480}
osd memory target = 1073741824

[client.rgw]
rgw data = $DATA/rgw
rgw frontends = beast endpoint=127.0.0.1:$http_port ssl_endpoint=127.0.0.1:$https_port ssl_certificate=$DATA/tls/server.crt ssl_private_key=$DATA/tls/server.key
# refuse SSE-KMS / SSE-C over plain HTTP (400 InvalidRequest), as OBS does
rgw crypt require ssl = true
rgw crypt s3 kms backend = testing
rgw crypt s3 kms encryption keys = ${kms_conf% }
EOF
  chmod 600 "$conf"

  BOOTSTRAPPING=1
  trap on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local L="$DATA/log"
  log "bootstrapping ($objectstore) in $DATA: mon 127.0.0.1:$mon_port, http $http_port, https $https_port"
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$DATA/monmap" >>"$L/mkfs.out" 2>&1 \
    || die "monmaptool failed"
  ceph-mon -c "$conf" -i a --mkfs --monmap "$DATA/monmap" </dev/null >>"$L/mkfs.out" 2>&1 || die "ceph-mon --mkfs failed"
  ceph-mon -c "$conf" -i a </dev/null >>"$L/daemons.out" 2>&1 || die "ceph-mon failed to start"
  local osd_uuid osd_id
  osd_uuid=$(uuidgen)
  osd_id=$(timeout 60 ceph -c "$conf" --connect-timeout 30 osd new "$osd_uuid" </dev/null 2>>"$L/ceph-cli.err") \
    || die "'ceph osd new' failed (mon not reachable on port $mon_port?)"
  [[ $osd_id == 0 ]] || die "unexpected OSD id '$osd_id'"
  ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$osd_uuid" </dev/null >>"$L/mkfs.out" 2>&1 || die "ceph-osd --mkfs failed"
  ceph-osd -c "$conf" -i 0 </dev/null >>"$L/daemons.out" 2>&1 || die "ceph-osd failed to start"
  # Users first: this radosgw-admin call also creates the default zonegroup and zone, which the placement
  # commands need, and radosgw reads them at start-up (changed later, radosgw would need a restart).
  radosgw-admin -c "$conf" -n client.admin user create --uid=tester --display-name="OBS Sync test user" \
    --access-key="$ak" --secret="$sk" </dev/null >/dev/null 2>>"$L/radosgw-admin.err" || die "radosgw-admin user create tester failed"
  radosgw-admin -c "$conf" -n client.admin user create --uid=other --display-name="OBS Sync other user" \
    --access-key="$oak" --secret="$osk" </dev/null >/dev/null 2>>"$L/radosgw-admin.err" || die "radosgw-admin user create other failed"
  add_cold_storage_class "$conf" "$L"
  timeout 60 radosgw -c "$conf" -n client.rgw </dev/null >>"$L/daemons.out" 2>&1 || die "radosgw failed to start"

  local https="https://127.0.0.1:$https_port" http="http://127.0.0.1:$http_port" code nc pid
  local deadline=$((${EPOCHREALTIME%.*} + timeout))
  while :; do
    code=$(curl -s -o /dev/null -m 3 --cacert "$ca" -w '%{http_code}' "$https/" 2>/dev/null) || true
    [[ $code == 200 ]] && break
    ((${EPOCHREALTIME%.*} < deadline)) || die "radosgw did not answer 200 on $https/ within ${timeout}s (last HTTP code: ${code:-none})"
    for nc in "${DAEMONS[@]}"; do
      pid=$(pid_of "$DATA" "${nc%%:*}")
      [[ -z $pid ]] || is_daemon "$pid" "${nc##*:}" || die "${nc##*:} (pid $pid) exited during startup"
    done
    sleep 0.1
  done

  # the credentials really work (signed ListBuckets over HTTPS)
  code=$(curl -s -o /dev/null -m 10 --cacert "$ca" --aws-sigv4 "aws:amz:us-east-1:s3" --user "$ak:$sk" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
    -w '%{http_code}' "$https/" 2>/dev/null) || true
  [[ $code == 200 ]] || die "signed request with the new test user's keys got HTTP ${code:-none}, expected 200"

  local mon_pid osd_pid rgw_pid
  mon_pid=$(pid_of "$DATA" mon.a) osd_pid=$(pid_of "$DATA" osd.0) rgw_pid=$(pid_of "$DATA" client.rgw)
  [[ -n $mon_pid && -n $osd_pid && -n $rgw_pid ]] || die "a daemon did not write its pidfile in $DATA/run"
  HTTPS="$https" HTTP="$http" CA="$ca" AK="$ak" SK="$sk" OAK="$oak" OSK="$osk" \
    KMS="${KMS_KEY_IDS[*]}" DATA_DIR_="$DATA" CONF="$conf" OS="$objectstore" \
    MON_PID="$mon_pid" OSD_PID="$osd_pid" RGW_PID="$rgw_pid" write_json "$DATA/env.json" <<'EOF'
doc = {
    "httpsEndpoint": e["HTTPS"],
    "httpEndpoint": e["HTTP"],
    "caFile": e["CA"],
    "accessKeyId": e["AK"],
    "secretAccessKey": e["SK"],
    "otherAccessKeyId": e["OAK"],
    "otherSecretAccessKey": e["OSK"],
    "region": "us-east-1",
    "kmsKeyIds": e["KMS"].split(),
    "dataDir": e["DATA_DIR_"],
    "cephConf": e["CONF"],
    "objectStore": e["OS"],
    "pids": {"ceph-mon": int(e["MON_PID"]), "ceph-osd": int(e["OSD_PID"]), "radosgw": int(e["RGW_PID"])},
}
EOF
  {
    echo "# generated by test/support/rgw.sh; source it: . $DATA/env.sh"
    printf 'export RGW_HTTPS_ENDPOINT=%q\n' "$https"
    printf 'export RGW_HTTP_ENDPOINT=%q\n' "$http"
    printf 'export RGW_CA_FILE=%q\n' "$ca"
    printf 'export RGW_ACCESS_KEY_ID=%q\n' "$ak"
    printf 'export RGW_SECRET_ACCESS_KEY=%q\n' "$sk"
    printf 'export RGW_OTHER_ACCESS_KEY_ID=%q\n' "$oak"
    printf 'export RGW_OTHER_SECRET_ACCESS_KEY=%q\n' "$osk"
    printf 'export RGW_REGION=%q\n' us-east-1
    printf 'export RGW_KMS_KEY_IDS=%q\n' "${KMS_KEY_IDS[*]}"
    printf 'export RGW_DATA_DIR=%q\n' "$DATA"
    printf 'export RGW_CEPH_CONF=%q\n' "$conf"
    printf 'export RGW_OBJECTSTORE=%q\n' "$objectstore"
    printf 'export RGW_PID_CEPH_MON=%q\nexport RGW_PID_CEPH_OSD=%q\nexport RGW_PID_RADOSGW=%q\n' "$mon_pid" "$osd_pid" "$rgw_pid"
  } >"$DATA/env.sh"
  chmod 600 "$DATA/env.json" "$DATA/env.sh"

  BOOTSTRAPPING=0
  log "ready after $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}')s; env in $DATA/env.json and $DATA/env.sh"
  echo "RGW READY $https"
}

# ---------------------------------------------------------------- gateway outage (for the queue's offline tests)
cmd_stop_gateway() {
  [[ -f ${1:-}/$MARKER ]] || die "${1:-} was not created by rgw.sh"
  stop_daemons "$(cd "$1" && pwd -P)" "client.rgw:radosgw"
}

cmd_start_gateway() {
  [[ -f ${1:-}/$MARKER ]] || die "${1:-} was not created by rgw.sh"
  local data https ca code deadline
  data=$(cd "$1" && pwd -P)
  https=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["httpsEndpoint"])' "$data/env.json")
  ca="$data/tls/ca.crt"
  timeout 60 radosgw -c "$data/ceph.conf" -n client.rgw </dev/null >>"$data/log/daemons.out" 2>&1 || die "radosgw failed to start"
  deadline=$((${EPOCHREALTIME%.*} + 60))
  until [[ $(curl -s -o /dev/null -m 3 --cacert "$ca" -w '%{http_code}' "$https/" 2>/dev/null) == 200 ]]; do
    ((${EPOCHREALTIME%.*} < deadline)) || die "radosgw did not answer on $https/ within 60 s"
    sleep 0.1
  done
  log "gateway back on $https"
}

case ${1:-} in
  start) shift; cmd_start "$@" ;;
  stop-gateway) shift; cmd_stop_gateway "$@" ;;
  start-gateway) shift; cmd_start_gateway "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) usage ;;
esac
