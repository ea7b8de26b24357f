#!/usr/bin/env bash
# Builds the benchmarks jar, runs every benchmark single-threaded and with 2 threads, and prints a markdown
# table: score ± error (ns/op), bytes allocated per call (gc.alloc.rate.norm), the ratio to the floor (noopProxy;
# monoNoopProxy for the Mono benchmarks) and to the Resilience4j counterpart, then the targets of issues 6, 13 and 14
# checked against the run.
#
# Settings for a 2-core machine: 1 fork, 3 warmup and 5 measurement iterations of 1 s, -prof gc.
# A full run takes about 15 minutes (33 benchmarks x 2 thread counts x ~11 s, JVM and context start included).
#
#   benchmarks/run.sh                     # build and run everything
#   benchmarks/run.sh 'Ours|noopProxy'    # only the benchmarks matching a JMH regex (the table shows what ran)
#   benchmarks/run.sh 'Mono|mono|noopProxy'   # the Mono benchmarks, their floor and noopProxy
#   MVN_FLAGS=-o benchmarks/run.sh        # extra Maven flags, e.g. offline
#   SKIP_BUILD=1 benchmarks/run.sh        # reuse benchmarks/target/benchmarks.jar
#   TABLE_ONLY=1 benchmarks/run.sh        # print the table of the last run again
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=benchmarks/target
JAR="$OUT/benchmarks.jar"
THREADS=(1 2)

if [[ -z "${TABLE_ONLY:-}" ]]; then
    if [[ -z "${SKIP_BUILD:-}" ]]; then
        echo "Building $JAR ..." >&2
        # shellcheck disable=SC2086
        mvn -q -B ${MVN_FLAGS:-} -pl benchmarks -am package -DskipTests
    fi
    for t in "${THREADS[@]}"; do
        echo "Running JMH with $t thread(s): log in $OUT/jmh-t$t.log, results in $OUT/jmh-t$t.json ($(uptime | sed 's/.*load/load/'))" >&2
        java -jar "$JAR" \
            -f 1 -wi 3 -w 1s -i 5 -r 1s -t "$t" \
            -prof gc -foe true \
            -rf json -rff "$OUT/jmh-t$t.json" \
            "$@" > "$OUT/jmh-t$t.log" 2>&1 || { tail -40 "$OUT/jmh-t$t.log" >&2; exit 1; }
        echo "  done ($(uptime | sed 's/.*load/load/'))" >&2
    done
fi

python3 - "$OUT" "${THREADS[@]}" <<'PY'
import json, math, os, platform, subprocess, sys, datetime

out, threads = sys.argv[1], sys.argv[2:]
GROUPS = {"BaselineBenchmark": "baseline", "OursBenchmark": "ours",
          "Resilience4jBenchmark": "r4j", "SpringResilienceBenchmark": "spring"}
MONO = ["monoCircuitBreaker", "monoRetry", "monoBulkhead", "monoTimeout", "monoFallback", "monoAllFive"]
ORDER = ["baseline.direct", "baseline.noopProxy",
         "ours.circuitBreaker", "ours.retry", "ours.retryWithBudget", "ours.bulkhead", "ours.rateLimiter", "ours.timeout", "ours.fallback",
         "ours.threeStacked", "ours.allFive", "ours.openBreakerWithFallback", "ours.circuitBreakerAsync",
         "r4j.circuitBreaker", "r4j.retry", "r4j.bulkhead", "r4j.rateLimiter", "r4j.threeStacked",
         "r4j.openBreakerWithFallback",
         "spring.retryable", "spring.concurrencyLimit",
         "baseline.monoNoopProxy"] + [f"ours.{m}" for m in MONO] + [f"r4j.{m}" for m in MONO]

def floor_of(name):
    """The floor a benchmark is compared with: the no-op proxy, subscribed for a Mono."""
    return "baseline.monoNoopProxy" if name.split(".", 1)[1].startswith("mono") else "baseline.noopProxy"

results, jvm, finished = {}, None, None
for t in threads:
    path = os.path.join(out, f"jmh-t{t}.json")
    if not os.path.exists(path):
        continue
    finished = max(finished or 0, os.path.getmtime(path))
    for r in json.load(open(path)):
        cls, method = r["benchmark"].split(".")[-2:]
        name = f"{GROUPS.get(cls, cls)}.{method}"
        err = r["primaryMetric"]["scoreError"]
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
        results[(name, r["threads"])] = (r["primaryMetric"]["score"],
                                         float(err) if err != "NaN" else math.nan, alloc)
        jvm = jvm or f'{r.get("vmName", "")} {r.get("jdkVersion", "")} ({r.get("vmVersion", "")})'
if not results:
    sys.exit(f"no JMH results in {out}")

def num(x, digits=1):
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{digits}f}"

def ratio(a, b):
    return "" if a is None or b is None or b == 0 else f"{a / b:.2f}×"

names = sorted({n for n, _ in results}, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
print(f"JMH 1.37, {jvm}, {os.cpu_count()} CPUs, "
      f"run finished {datetime.datetime.fromtimestamp(finished).astimezone().strftime('%Y-%m-%d %H:%M %Z')}; "
      "fork 1, warmup 3 × 1 s, measurement 5 × 1 s, -prof gc; error = 99.9% confidence interval.\n")
print("| benchmark | threads | score ± error (ns/op) | alloc (B/op) | × floor | × Resilience4j |")
print("|---|---:|---:|---:|---:|---:|")
for t in sorted({t for _, t in results}):
    for n in names:
        if (n, t) not in results:
            continue
        score, err, alloc = results[(n, t)]
        floor = results.get((floor_of(n), t))
        # a retry with a budget is set against Resilience4j's retry, which has none
        r4j = results.get(("r4j." + n.split(".", 1)[1].replace("WithBudget", ""), t)) if n.startswith("ours.") else None
        print(f"| {n} | {t} | {num(score)} ± {num(err)} | {num(alloc, 0)} | "
              f"{ratio(score, floor[0] if floor else None)} | {ratio(score, r4j[0] if r4j else None)} |")

# the targets of issue 6
checks = []
def target(label, name, t, limit):
    noop, own = results.get(("baseline.noopProxy", t)), results.get((name, t))
    if noop and own:
        value = own[0] / noop[0]
        checks.append((f"{label} ({t} thread{'s' if t > 1 else ''})", f"{value:.3f}× ≤ {limit}×", value <= limit))
for n in ("circuitBreaker", "retry", "bulkhead"):
    target(f"@{n[0].upper() + n[1:]} ≤ 2.5 × noopProxy", f"ours.{n}", 1, 2.5)
    target(f"@{n[0].upper() + n[1:]} ≤ 3 × noopProxy", f"ours.{n}", 2, 3)
target("all five stacked ≤ 8 × noopProxy", "ours.allFive", 1, 8)
target("open breaker + fallback ≤ 3 × noopProxy", "ours.openBreakerWithFallback", 1, 3)
for n in ("circuitBreaker", "retry", "bulkhead", "timeout", "fallback"):
    noop, own = results.get(("baseline.noopProxy", 1)), results.get((f"ours.{n}", 1))
    if noop and own and noop[2] is not None and own[2] is not None:
        extra = own[2] - noop[2]
        checks.append((f"@{n[0].upper() + n[1:]} allocates ≤ 32 B/op above noopProxy (1 thread)",
                       f"{max(extra, 0):,.0f} B ≤ 32 B", extra <= 32))
# the targets of issue 13: the rate limiter
target("@RateLimiter ≤ 2.5 × noopProxy", "ours.rateLimiter", 1, 2.5)
noop, own = results.get(("baseline.noopProxy", 1)), results.get(("ours.rateLimiter", 1))
if noop and own and noop[2] is not None and own[2] is not None:
    extra = own[2] - noop[2]
    checks.append(("@RateLimiter allocates 0 B/op above noopProxy (1 thread)", f"{max(extra, 0):,.0f} B ≤ 0 B",
                   extra < 0.5))
for t in (1, 2):
    own, r4j = results.get(("ours.rateLimiter", t)), results.get(("r4j.rateLimiter", t))
    if own and r4j:
        checks.append((f"@RateLimiter ≤ 0.1 × Resilience4j's ({t} thread{'s' if t > 1 else ''})",
                       f"{own[0] / r4j[0]:.3f}× ≤ 0.1×", own[0] / r4j[0] <= 0.1))
# the targets of issue 14: a protected Mono.just below Resilience4j's cost, a few allocations per subscription
for n in MONO:
    for t in sorted({t for _, t in results}):
        own, other = results.get((f"ours.{n}", t)), results.get((f"r4j.{n}", t))
        if own and other:
            checks.append((f"{n} below Resilience4j's ({t} thread{'s' if t > 1 else ''})",
                           f"{own[0]:,.0f} < {other[0]:,.0f} ns", own[0] < other[0]))
    floor, own = results.get(("baseline.monoNoopProxy", 1)), results.get((f"ours.{n}", 1))
    if floor and own and floor[2] is not None and own[2] is not None:
        extra = own[2] - floor[2]
        checks.append((f"{n} allocates ≤ 256 B/op above monoNoopProxy (1 thread)",
                       f"{max(extra, 0):,.0f} B ≤ 256 B", extra <= 256))
# the target of issue 15: a closed shared breaker costs within 10 % of a local one (same run, same context)
for t in (1, 2):
    local = results.get(("SharedCircuitBreakerBenchmark.localCircuitBreaker", t))
    shared = results.get(("SharedCircuitBreakerBenchmark.sharedCircuitBreaker", t))
    if local and shared:
        checks.append((f"closed shared breaker ≤ 1.1 × local ({t} thread{'s' if t > 1 else ''})",
                       f"{shared[0] / local[0]:.3f}× ≤ 1.1×", shared[0] / local[0] <= 1.1))
if checks:
    print("\n| target (issues 6, 13 and 14) | measured | met |")
    print("|---|---:|:---:|")
    for label, measured, ok in checks:
        print(f"| {label} | {measured} | {'yes' if ok else '**no**'} |")
PY
