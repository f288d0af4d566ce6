#!/usr/bin/env bash
# Conversion benchmark: the irforge CLI against onnxruntime's load + optimize +
# save (benchmarks/ort_optimize.js) on the same ONNX model, each measured as a
# whole process. Two models, both written with irforge's own ONNX writer:
#   resnet50  ResNet-50 (~100 MB, make_resnet50.cpp): speed and memory on weights
#   chain     20k nodes of Conv + BatchNormalization + Relu (make_chain.cpp):
#             matching and rewriting at scale
#
# Usage: benchmarks/run_conversion_benchmark.sh [--model resnet50|chain] [-n REPS] [--small] [--level all|extended|basic]
#   --model   which model (default resnet50); results/conversion.md or results/scale.md
#   -n REPS   timed repetitions of each tool, alternating (default 5)
#   --small   a small variant of the model (a quick check of the pipeline);
#             its figures go to work/, not to results/
#   --level   onnxruntime's graphOptimizationLevel (default all)
# Environment: ORT_VERSION (onnxruntime-node version, default pinned below).
#
# Installs what it needs (Debian packages through apt, onnxruntime-node from
# npm into benchmarks/scratch, which git ignores), builds make_resnet50 and the
# irforge CLI in build-bench/, and writes benchmarks/results/conversion.md.
# Only apt needs root (sudo is used when not root).
set -euo pipefail

reps=5
small=0
level=all
which=resnet50
while [ $# -gt 0 ]; do
  case "$1" in
    --model) which="$2"; shift 2 ;;
    -n) reps="$2"; shift 2 ;;
    --small) small=1; shift ;;
    --level) level="$2"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "[ ERROR ]  unknown argument: $1" >&2; exit 2 ;;
  esac
done
case "$reps" in ''|*[!0-9]*|0) echo "[ ERROR ]  -n needs a positive number" >&2; exit 2 ;; esac
case "$which" in resnet50|chain) ;; *) echo "[ ERROR ]  --model must be resnet50 or chain" >&2; exit 2 ;; esac

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$bench_dir/.." && pwd)"
work="$bench_dir/scratch"
build="$root/build-bench"
ort_version="${ORT_VERSION:-1.30.0}"
export ORT_DISABLE_TELEMETRY=1 # see ort_optimize.js
mkdir -p "$work" "$bench_dir/results"

# ---- dependencies -----------------------------------------------------------------
need=()
command -v cmake >/dev/null || need+=(cmake)
command -v ninja >/dev/null || need+=(ninja-build)
command -v g++ >/dev/null || need+=(g++)
[ -e /usr/include/boost/version.hpp ] || need+=(libboost-dev)
[ -e /usr/include/tinyxml2.h ] || need+=(libtinyxml2-dev)
[ -e /usr/include/jemalloc/jemalloc.h ] || need+=(libjemalloc-dev)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]} (apt)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${need[@]}"
fi

if [ ! -d "$work/node_modules/onnxruntime-node" ]; then
  echo "== installing onnxruntime-node@$ort_version (npm) into $work"
  [ -f "$work/package.json" ] || echo '{"private": true}' > "$work/package.json"
  if ! (cd "$work" && npm install --ignore-scripts --no-audit --no-fund "onnxruntime-node@$ort_version"); then
    echo "[ ERROR ]  npm install onnxruntime-node failed: is the npm registry reachable?" >&2
    exit 3
  fi
fi

# ---- build --------------------------------------------------------------------------
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DIRFORGE_BUILD_TESTS=OFF \
        -DIRFORGE_BUILD_EXAMPLES=OFF -DIRFORGE_BUILD_BENCHMARKS=ON
fi
# The tool as installed links jemalloc (IRFORGE_CLI_ALLOCATOR); the same object
# file linked without it runs too, so the figures show what the allocator gives.
cmake -S "$root" -B "$build" -DIRFORGE_CLI_ALLOCATOR=jemalloc > /dev/null
ninja -C "$build" "make_$which" irforge_cli irforge_cli_system_malloc
generator="$build/benchmarks/make_$which"
irforge="$build/tools/irforge"
irforge_system="$build/tools/irforge-system-malloc"

# ---- the model (cached; rebuilt when the generator changes) -----------------------------
if [ "$which" = chain ]; then
  if [ "$small" -eq 1 ]; then
    name=chain_small; gen_flags=(--blocks 100); results="$work/scale_small.md"
  else
    name=chain; gen_flags=(); results="$bench_dir/results/scale.md"
  fi
elif [ "$small" -eq 1 ]; then
  name=resnet50_small; gen_flags=(--small); results="$work/conversion_small.md" # a pipeline check, not a result
else
  name=resnet50; gen_flags=(); results="$bench_dir/results/conversion.md"
fi
model="$work/$name.onnx"
params_file="$work/$name.params"
if [ ! -f "$model" ] || [ ! -f "$params_file" ] || [ "$generator" -nt "$model" ]; then
  echo "== generating $model"
  "$generator" "${gen_flags[@]}" "$model" | tee "$work/$name.gen.log"
  sed -n 's/.*: \([0-9]*\) parameters, \([0-9]*\) batch-norm channels, \([0-9]*\) nodes.*/\1 \2 \3/p' \
    "$work/$name.gen.log" > "$params_file"
fi
read -r params bn_channels source_nodes < "$params_file"
model_bytes="$(stat -c %s "$model")"

# ---- measurement ----------------------------------------------------------------------
ir_dir="$work/ir_$name"
ort_out="$work/${name}_ort_optimized.onnx"
measure_log="$work/${name}_measure.tsv"
: > "$measure_log"

# run TOOL CMD...: wall seconds (ns clock around the process) and peak RSS in KiB
# (GNU time's %M, the child's ru_maxrss), appended to $measure_log.
run() {
  local tool="$1"; shift
  local t0 t1 tf
  tf="$(mktemp)"
  t0="$(date +%s%N)"
  if ! /usr/bin/time -o "$tf" -f "%M" "$@" > "$work/last_$tool.log" 2>&1; then
    echo "[ ERROR ]  $tool failed:" >&2
    cat "$work/last_$tool.log" >&2
    rm -f "$tf"
    exit 1
  fi
  t1="$(date +%s%N)"
  printf '%s\t%s\t%s\n' "$tool" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')" \
         "$(tail -n 1 "$tf")" >> "$measure_log"
  rm -f "$tf"
}
run_irforge() { rm -rf "$ir_dir"; run irforge "$irforge" --input_model "$model" --output_dir "$ir_dir"; }
run_irforge_system() {
  rm -rf "$ir_dir.system"
  run irforge-system-malloc "$irforge_system" --input_model "$model" --output_dir "$ir_dir.system"
}
run_ort() { rm -f "$ort_out"; run ort node "$bench_dir/ort_optimize.js" "$model" "$ort_out" "$level"; }

echo "== warm-up (not counted): the model file in the page cache, both programs loaded once"
run_irforge
run_irforge_system
run_ort
: > "$measure_log"
for i in $(seq 1 "$reps"); do
  # alternate the order, so no tool always runs right after another's writes
  if [ $((i % 2)) -eq 1 ]; then run_irforge; run_irforge_system; run_ort; else run_ort; run_irforge_system; run_irforge; fi
  echo "   repetition $i/$reps: $(tail -n 3 "$measure_log" | tr '\t\n' ' ')"
done

median() { # median of column $2 for tool $1
  awk -F'\t' -v t="$1" -v c="$2" '$1 == t { print $c }' "$measure_log" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
if_time="$(median irforge 2)"; ort_time="$(median ort 2)"; sys_time="$(median irforge-system-malloc 2)"
if_rss="$(median irforge 3)"; ort_rss="$(median ort 3)"
if_rss_max="$(awk -F'\t' '$1 == "irforge" && $3 > m { m = $3 } END { print m }' "$measure_log")"
ratio="$(awk -v a="$ort_time" -v b="$if_time" 'BEGIN { printf "%.2f", a / b }')"
sys_ratio="$(awk -v a="$ort_time" -v b="$sys_time" 'BEGIN { printf "%.2f", a / b }')"
sys_rss="$(median irforge-system-malloc 3)"
mem_ratio="$(awk -v r="$if_rss_max" -v s="$model_bytes" 'BEGIN { printf "%.2f", r * 1024 / s }')"
ort_mem_ratio="$(awk -v r="$ort_rss" -v s="$model_bytes" 'BEGIN { printf "%.2f", r * 1024 / s }')"

# ---- did irforge do the work? --------------------------------------------------------
# Every BatchNormalization must be folded into its convolution: then the f32
# Consts hold the model's floats minus 3 of the 4 per BatchNorm channel (scale,
# mean and variance went into the weights, the shift became a bias), counted
# per Const so deduplicated blobs count too, and the .bin holds every distinct
# (offset, size) blob.
xml="$ir_dir/$name.xml"; bin="$ir_dir/$name.bin"
read -r f32_bytes unique_bytes < <(awk '
  /<data / && /size="/ && /offset="/ {
    match($0, /element_type="[^"]*"/); et = substr($0, RSTART + 14, RLENGTH - 15)
    match($0, /offset="[0-9]+"/); off = substr($0, RSTART + 8, RLENGTH - 9)
    match($0, /size="[0-9]+"/); sz = substr($0, RSTART + 6, RLENGTH - 7)
    if (et == "f32") f32 += sz
    if (!((off, sz) in seen)) { seen[off, sz] = 1; uniq += sz }
  }
  END { printf "%d %d\n", f32, uniq }' "$xml")
bin_bytes="$(stat -c %s "$bin")"
expected=$(( (params - 3 * bn_channels) * 4 ))
if ! cmp -s "$xml" "$ir_dir.system/$name.xml" || ! cmp -s "$bin" "$ir_dir.system/$name.bin"; then
  echo "[ ERROR ]  the two irforge builds wrote different IR" >&2
  exit 1
fi
if [ "$f32_bytes" -ne "$expected" ] || [ "$bin_bytes" -ne "$unique_bytes" ]; then
  echo "[ ERROR ]  the IR does not hold the model's folded weights: f32 Const bytes $f32_bytes, expected $expected" \
       "(($params parameters - 3 x $bn_channels batch-norm channels) x 4); .bin $bin_bytes bytes, distinct blobs $unique_bytes bytes" >&2
  exit 1
fi
ir_layers="$(grep -c '<layer ' "$xml")"
ir_bn="$(grep -c 'type="BatchNormInference"' "$xml" || true)"
ort_bytes="$(stat -c %s "$ort_out")"
ort_bn="$({ grep -a -o 'BatchNormalization' "$ort_out" || true; } | wc -l)" # op_type strings; 0 when all were fused
weights_check="f32 Const bytes = $f32_bytes = ($params parameters - 3 x $bn_channels folded batch-norm channels) x 4; .bin = $bin_bytes bytes (every distinct blob)"

# ---- report -------------------------------------------------------------------------------
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
mem_total="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
ort_ver="$(node -p "require('$work/node_modules/onnxruntime-node/package.json').version")"
verdict_time=$(awk -v r="$ratio" 'BEGIN { print (r > 1) ? "yes" : "NO" }')
verdict_mem=$(awk -v r="$mem_ratio" 'BEGIN { print (r <= 1.5) ? "yes" : "NO" }')
{
  echo "# Conversion benchmark ($name): irforge vs onnxruntime (load + optimize + save)"
  echo
  echo "Written by \`benchmarks/run_conversion_benchmark.sh$( [ "$small" -eq 1 ] && echo " --small")$( [ "$level" != all ] && echo " --level $level")\`;" \
       "each figure is the median of $reps runs of the whole process, the two tools alternating, after one warm-up run each" \
       "(the model file is in the page cache)."
  echo
  echo "| | |"
  echo "| --- | --- |"
  echo "| machine | $(nproc) cores ($cpu), $mem_total |"
  echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
  echo "| model | $name.onnx from make_$which: $source_nodes nodes, $params float32 parameters, $model_bytes bytes |"
  echo "| irforge | \`irforge --input_model $name.onnx --output_dir ...\` (Release build, $(g++ -dumpfullversion 2>/dev/null || echo g++), linked with jemalloc as the tool is by default) |"
  echo "| peer | onnxruntime-node $ort_ver on node $(node --version): InferenceSession.create with graphOptimizationLevel '$level' and optimizedModelFilePath |"
  echo "| irforge median time | $if_time s |"
  echo "| onnxruntime median time | $ort_time s |"
  echo "| ratio (onnxruntime / irforge) | **$ratio** (irforge faster: $verdict_time) |"
  echo "| irforge on glibc malloc | $sys_time s median, ratio $sys_ratio, peak RSS $sys_rss KiB median (the same object file linked without jemalloc; the same IR, byte for byte) |"
  echo "| irforge peak RSS | $if_rss KiB median, $if_rss_max KiB max |"
  echo "| onnxruntime peak RSS | $ort_rss KiB median ($ort_mem_ratio x the model file) |"
  echo "| irforge peak RSS / model file size | **$mem_ratio** (max of the runs; at most 1.5: $verdict_mem) |"
  echo "| IR check | $weights_check |"
  echo "| outputs | irforge: $ir_layers IR layers, $ir_bn of them BatchNormInference$( [ "$ir_bn" -gt 0 ] && echo " (not folded into the convolutions)"); onnxruntime: $ort_bytes bytes, $ort_bn BatchNormalization nodes left |"
  echo
  echo "Runs (tool, wall seconds, peak RSS KiB):"
  echo
  echo '```'
  cat "$measure_log"
  echo '```'
  echo
  echo "Peak RSS is GNU time's %M (the process's ru_maxrss). irforge's counts the pages of the memory-mapped model file" \
       "it reads (file-backed, shared with the page cache), not a copy of them."
} > "$results"

echo
cat "$results"
echo
echo "written to ${results#"$root"/}"
