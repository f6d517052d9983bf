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

# garden_warm_state KEY — names (and exports, for `garden daemon`) this version's state file: PORT TOKEN PID PROOF.
# Only a folder of the user's own: GARDEN_DAEMON_DIR, else $XDG_RUNTIME_DIR/garden, else $HOME/.cache/garden; with
# none of them set there is no warm path (a shared folder such as /tmp would let another user plant a state file).
garden_warm_state() {
  local dir="${GARDEN_DAEMON_DIR-}"
  if [ -z "$dir" ]; then
    if [ -n "${XDG_RUNTIME_DIR-}" ]; then
      dir="$XDG_RUNTIME_DIR/garden"
    elif [ -n "${HOME-}" ]; then
      dir="$HOME/.cache/garden"
    else
      unset GARDEN_WARM_STATE
      return 0
    fi
  fi
  [[ "$dir" == /* ]] || dir="$PWD/$dir"
  export GARDEN_WARM_STATE="$dir/warm-$1"
}

# garden_warm_listener_is_ours PORT — true when every socket listening on PORT belongs to this user, as Linux's
# /proc/net/tcp{,6} say (their eighth column is the owner's uid); false when nothing listens there. Where the tables
# cannot be read it cannot be told, and the server's proof alone decides. Read by the shell, no process started.
garden_warm_listener_is_ours() {
  local hex table sl local rem st queues timer retr uid rest tables=0 found=0
  printf -v hex '%04X' "$1"
  for table in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$table" ] || continue
    tables=1
    while read -r sl local rem st queues timer retr uid rest; do
      if [ "$st" = 0A ] && [ "${local##*:}" = "$hex" ]; then
        [ "$uid" = "$EUID" ] || return 1
        found=1
      fi
    done <"$table"
  done
  [ "$tables" = 0 ] || [ "$found" = 1 ]
}

# garden_warm_forget — the state names a server that is gone or is not ours: run cold, start a new one after.
garden_warm_forget() {
  rm -f "$GARDEN_WARM_STATE"
  GARDEN_WARM_START=1
}

# garden_warm_run ARGS... — runs the command on the warm server and exits with its code; returns when it is to
# run cold (no server yet, not a short command, or the server said so). Sets GARDEN_WARM_START=1 when a server
# should be started after the command.
garden_warm_run() {
  local wanted="${GARDEN_DAEMON-}"
  [ -n "$wanted" ] || { [ "${CI-}" = true ] && wanted=0 || wanted=1; }
  [ "$wanted" != 0 ] || return 0
  [ -n "${GARDEN_WARM_STATE-}" ] || return 0
  case "${1-}" in
    validate|sync-compose|build-registry|package-registry|list-published|bump|new|help|--help|-h|--version|-V|"") ;;
    *) return 0 ;;
  esac
  local port token pid proof sid reply name out_pid err_pid
  if [ ! -e "$GARDEN_WARM_STATE" ]; then
    GARDEN_WARM_START=1
    return 0
  fi
  # A state file or folder that is not this user's own is not believed (nor touched): this command runs cold.
  [ -O "$GARDEN_WARM_STATE" ] && [ -O "${GARDEN_WARM_STATE%/*}" ] || return 0
  if ! { read -r port token pid proof <"$GARDEN_WARM_STATE"; } 2>/dev/null || [ -z "${proof-}" ]; then
    GARDEN_WARM_START=1
    return 0
  fi
  # A server killed outright (SIGKILL, out of memory, a container stopped) leaves its state behind, and its port is
  # anybody's to take: a state whose process is gone, or whose port another user listens on, is forgotten.
  if { [ -d /proc/self ] && [ ! -d "/proc/$pid" ]; } || ! garden_warm_listener_is_ours "$port"; then
    garden_warm_forget
    return 0
  fi
  if ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
    garden_warm_forget
    return 0
  fi
  { read -r sid </proc/sys/kernel/random/uuid; } 2>/dev/null || sid="s$$-$RANDOM-$RANDOM-$RANDOM"
  printf 'run2\0%s\0%s\0' "$token" "$sid" >&3
  # The server proves it is ours before it is told anything else; a busy or silent one is not waited for.
  IFS= read -r -t 3 reply <&3 || reply=""
  if [ "$reply" != "proof $proof" ]; then
    exec 3>&-
    [ -z "$reply" ] || garden_warm_forget
    return 0
  fi
  if ! { exec 4<>"/dev/tcp/127.0.0.1/$port" 5<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
    exec 3>&- 4>&- 5>&-
    return 0
  fi
  printf 'out2\0%s\0%s\0' "$token" "$sid" >&4
  printf 'err2\0%s\0%s\0' "$token" "$sid" >&5
  {
    printf '%s\0%s\0' "$PWD" "$#"
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
      garden_warm_forget
      return 0 ;;
    *)
      echo "garden: the background server stopped during the command (see $GARDEN_WARM_STATE.log);" \
        "running it again without it" >&2
      garden_warm_forget
      return 0 ;;
  esac
}

# garden_warm_start TRAINING_REPOSITORY JAVA_COMMAND... — starts a server for the next commands, detached from the terminal (Ctrl+C in
# it does not reach the server) and from the caller's output (its log is STATE.log). Run after the cold command,
# so the two do not compete for the machine.
garden_warm_start() {
  [ "${GARDEN_WARM_START-}" = 1 ] && [ -n "${GARDEN_WARM_STATE-}" ] || return 0
  local training="$1"
  shift
  local dir="${GARDEN_WARM_STATE%/*}"
  { mkdir -p "$dir" && chmod 700 "$dir"; } 2>/dev/null || return 0
  setsid "$@" io.garden.cli.warm.WarmServer "$GARDEN_WARM_STATE" "$training" </dev/null \
    >"$GARDEN_WARM_STATE.log" 2>&1 &
}
