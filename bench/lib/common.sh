# bench/lib/common.sh: sourced by bench/run and bench/growth. Expects $root, $lib, $build, $out,
# $runs and a log function; defines $memlint, $floor and the measure/record functions, which
# append to $results.

# build_tools: configures (Release) and builds memlint and bench/floor in $build. If the build
# fails (others edit the tree concurrently) but binaries exist, they are used with a warning.
# With no_build=1, only checks that the binaries are there.
build_tools() {
  memlint=$build/memlint
  floor=$build/bench/floor
  if [[ -n ${MEMLINT_BENCH_MEMLINT:-} ]]; then
    # A fixed memlint binary (e.g. a snapshot while the tree is mid-edit): build only the floor.
    memlint=$MEMLINT_BENCH_MEMLINT
    [[ -x $memlint ]] || { log "MEMLINT_BENCH_MEMLINT=$memlint is not executable"; return 2; }
    build_note="memlint binary given by MEMLINT_BENCH_MEMLINT=$memlint"
    if [[ -x $floor ]] && ((${no_build:-0})); then return 0; fi
    cmake --build "$build" --target bench_floor >"$out/build.log" 2>&1 && return 0
    [[ -x $floor ]] && return 0
    log "cannot build bench/floor (see $out/build.log)"
    return 2
  fi
  if ((${no_build:-0})); then
    [[ -x $memlint && -x $floor ]] && return 0
    log "--no-build: $memlint or $floor missing"
    return 2
  fi
  if [[ ! -f $build/build.ninja ]]; then
    log "configuring $build (Release)"
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >"$out/cmake.log" 2>&1 ||
      { log "cmake failed (see $out/cmake.log)"; return 2; }
  fi
  log "building memlint and bench/floor in $build"
  if ! cmake --build "$build" --target memlint bench_floor >"$out/build.log" 2>&1; then
    if [[ -x $memlint && -x $floor ]]; then
      log "WARNING: build failed (see $out/build.log); measuring the binaries already in $build"
      build_note="build of the current tree failed; binaries from an earlier build"
    else
      log "build failed (see $out/build.log)"
      return 2
    fi
  fi
  return 0
}

# Timing: hyperfine when present, else a loop; peak RSS from GNU time on every run.
have_hyperfine=0
[[ -z ${BENCH_NO_HYPERFINE:-} ]] && command -v hyperfine >/dev/null 2>&1 && have_hyperfine=1
have_gnu_time=0
[[ -x /usr/bin/time ]] && /usr/bin/time -f %M true >/dev/null 2>&1 && have_gnu_time=1
((have_hyperfine)) || log "hyperfine not found: timing with a shell loop"
((have_gnu_time)) || log "GNU time (/usr/bin/time) not found: peak RSS is n/a"

# measure CORPUS TOOL WARMUP LIST CMD...: times CMD with the listed files appended.
measure() {
  local corpus=$1 tool=$2 warmup=$3 list=$4
  shift 4
  local d=$out/$corpus/$tool
  mkdir -p "$d"
  rm -f "$d/rss" "$d/status"
  local wrapped=()
  ((have_gnu_time)) && wrapped=(/usr/bin/time -f '%M %U %S' -a -o "$d/rss")
  wrapped+=("$lib/xrun" "$d/stdout" "$d/stderr" "$d/status" "$list" "$@")
  log "$corpus: $tool ($runs run(s))"
  if ((have_hyperfine)); then
    local cmd="" w
    for w in "${wrapped[@]}"; do cmd+=" $(printf '%q' "$w")"; done
    hyperfine -N --style none --warmup "$warmup" --runs "$runs" --export-json "$d/hyperfine.json" \
      --command-name "$tool" "${cmd# }" >"$d/hyperfine.log" 2>&1 ||
      { record "$corpus" "$tool" na "" "" "" "" "" "" "hyperfine failed: $(tail -1 "$d/hyperfine.log")" ""; return; }
    python3 - "$d/hyperfine.json" >"$d/times" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(r["median"], r["min"], r["max"], len(r["times"]))
EOF
  else
    local i t0 t1
    for ((i = 0; i < warmup; i++)); do "${wrapped[@]}"; done
    : >"$d/all-times"
    for ((i = 0; i < runs; i++)); do
      t0=$(date +%s.%N); "${wrapped[@]}"; t1=$(date +%s.%N)
      awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f\n", b - a}' >>"$d/all-times"
    done
    sort -g "$d/all-times" | awk '{a[NR]=$1} END {m = NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; print m, a[1], a[NR], NR}' >"$d/times"
  fi
  local median min max n rss="" cpu="" status findings note=""
  read -r median min max n <"$d/times"
  if [[ -f $d/rss ]]; then
    # One line per run (warm-ups first): peak RSS in KB, user s, system s.
    rss=$(grep -E '^[0-9]+ ' "$d/rss" | awk '$1 > m {m = $1} END {print m}')
    cpu=$(grep -E '^[0-9]+ ' "$d/rss" | tail -n "$n" | awk '{print $2 + $3}' | sort -g |
          awk '{a[NR]=$1} END {if (NR) print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
  fi
  status=$(cat "$d/status" 2>/dev/null || echo "?")
  findings=$(count_findings "$tool" "$d/stdout")
  if [[ $status != 0 ]]; then
    local why=""
    ((status > 128)) && why=" (killed by signal $((status - 128))$( ((status == 139)) && echo ': SIGSEGV'))"
    note="exit status $status$why: $(grep -v '^\s*$' "$d/stderr" | grep -v 'Segmentation fault' | tail -1 | cut -c1-120)"
  fi
  if [[ $tool == ruff-wasm ]] && grep -q 'seconds=' "$d/stderr"; then
    note="${note:+$note; }wall inside node, checking only (last run; excl. start-up and wasm compile): $(grep -o 'seconds=[0-9.]*' "$d/stderr" | tail -1 | cut -d= -f2) s"
  fi
  record "$corpus" "$tool" ok "$median" "$min" "$max" "$n" "$rss" "$findings" "$note" "$cpu"
}

record() { local IFS=$'\t'; echo "$*" >>"$results"; }

count_findings() {
  local tool=$1 file=$2
  case $tool in
    memlint-*) grep -E '^[^ ].*:[0-9]+:[0-9]+: [A-Z]+[0-9]+ ' "$file" | grep -vcE ': (E999|E902) ' ;;
    ruff-wasm) grep -cE ':[0-9]+:[0-9]+: [A-Z]+[0-9]+ ' "$file" ;;
    flake8-C4) grep -cE ':[0-9]+:[0-9]+: C4[0-9]+ ' "$file" ;;
    pylint) grep -E ':[0-9]+:[0-9]+: [RCWE][0-9]{4} ' "$file" | grep -vcE ': E0001 ' ;;
    *) echo "" ;;
  esac
}

na() { record "$1" "$2" na "" "" "" "" "" "" "$3" ""; log "$1: $2 n/a ($3)"; }

