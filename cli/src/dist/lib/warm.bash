# warm.bash — the warm path of the garden launchers (sourced by ./garden and bin/garden; bash only, no processes
# started on the way, so it costs a few milliseconds).
#
# Short commands go to the user's warm server (io.garden.cli.warm.WarmServer): a JVM kept running between commands,
# one per user and version, reached on a loopback port with the token from an owner-only state file. The first
# command runs cold and starts the server for the next ones. GARDEN_DAEMON=0 or `garden --no-daemon` bypasses it;
# on CI (CI=true) it is off unless GARDEN_DAEMON=1, because a server would outlive the job for nothing.

# The server's JVM: the optimising compiler (it lives long enough to use it), the serial collector, and a heap that
# is given back after work (an idle server should cost its user little memory; the heap never shrinks below -Xms).
# A young generation of 96 MB from the start: growing it from 32 MB through collections made the first large command
# slower than a cold run (sync-compose + validate of 10,000 extensions: 3.05 s, 2.4 s with it; cold 2.9 s).
GARDEN_WARM_JVM_OPTS="-XX:+UseSerialGC -Xms32m -Xmn96m -XX:MaxHeapFreeRatio=50 -XX:-ShrinkHeapInSteps -XX:-UsePerfData"

# garden_warm_state KEY — names (and exports, for `garden daemon`) this version's state file: PORT TOKEN PID.
garden_warm_state() {
  local dir="${GARDEN_DAEMON_DIR:-${XDG_RUNTIME_DIR:-${HOME:-/tmp}/.cache}/garden}"
  [[ "$dir" == /* ]] || dir="$PWD/$dir"
  export GARDEN_WARM_STATE="$dir/warm-$1"
}

# garden_warm_run ARGS... — runs the command on the warm server and exits with its code; returns when it is to
# run cold (no server yet, not a short command, or the server said so). Sets GARDEN_WARM_START=1 when a server
# should be started after the command.
garden_warm_run() {
  local wanted="${GARDEN_DAEMON-}"
  [ -n "$wanted" ] || { [ "${CI-}" = true ] && wanted=0 || wanted=1; }
  [ "$wanted" != 0 ] || return 0
  case "${1-}" in
    validate|sync-compose|build-registry|package-registry|list-published|bump|new|help|--help|-h|--version|-V|"") ;;
    *) return 0 ;;
  esac
  local port token pid sid reply name out_pid err_pid
  if ! { read -r port token pid <"$GARDEN_WARM_STATE"; } 2>/dev/null || [ -z "${token-}" ]; then
    GARDEN_WARM_START=1
    return 0
  fi
  if ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
    # A server that crashed or was killed: replaced after this command, which runs cold.
    rm -f "$GARDEN_WARM_STATE"
    GARDEN_WARM_START=1
    return 0
  fi
  { read -r sid </proc/sys/kernel/random/uuid; } 2>/dev/null || sid="s$$-$RANDOM-$RANDOM-$RANDOM"
  if ! { exec 4<>"/dev/tcp/127.0.0.1/$port" 5<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
    exec 3>&- 4>&- 5>&-
    return 0
  fi
  printf 'out1\0%s\0%s\0' "$token" "$sid" >&4
  printf 'err1\0%s\0%s\0' "$token" "$sid" >&5
  {
    printf 'run1\0%s\0%s\0%s\0%s\0' "$token" "$sid" "$PWD" "$#"
    [ $# -eq 0 ] || printf '%s\0' "$@"
    for name in $(compgen -e); do printf '%s=%s\0' "$name" "${!name-}"; done
    printf '\0'
  } >&3
  # Each copier holds only its own connection: the control one must close when this shell exits (that is Ctrl+C).
  cat <&4 3>&- 5>&- &
  out_pid=$!
  cat <&5 >&2 3>&- 4>&- &
  err_pid=$!
  # Only the copies above keep the outputs open: a reader that goes away (| head) closes them, as for a cold run.
  exec 4>&- 5>&-
  # Ctrl+C: the server sees this connection close and cancels the command; the shell reports 130 as for a cold run.
  trap 'exit 130' INT
  trap 'exit 143' TERM
  IFS= read -r reply <&3 || reply=""
  wait "$out_pid" "$err_pid" 2>/dev/null || true
  exec 3>&-
  trap - INT TERM
  case "$reply" in
    "exit "*) exit "${reply#exit }" ;;
    "cold "*) return 0 ;;
    refused)
      # Not our server (or not our token any more): start our own after this command.
      rm -f "$GARDEN_WARM_STATE"
      GARDEN_WARM_START=1
      return 0 ;;
    *)
      echo "garden: the background server stopped during the command (see $GARDEN_WARM_STATE.log);" \
        "running it again without it" >&2
      rm -f "$GARDEN_WARM_STATE"
      GARDEN_WARM_START=1
      return 0 ;;
  esac
}

# garden_warm_start TRAINING_REPOSITORY JAVA_COMMAND... — starts a server for the next commands, detached from the terminal (Ctrl+C in
# it does not reach the server) and from the caller's output (its log is STATE.log). Run after the cold command,
# so the two do not compete for the machine.
garden_warm_start() {
  [ "${GARDEN_WARM_START-}" = 1 ] || return 0
  local training="$1"
  shift
  local dir="${GARDEN_WARM_STATE%/*}"
  { mkdir -p "$dir" && chmod 700 "$dir"; } 2>/dev/null || return 0
  setsid "$@" io.garden.cli.warm.WarmServer "$GARDEN_WARM_STATE" "$training" </dev/null \
    >"$GARDEN_WARM_STATE.log" 2>&1 &
}
