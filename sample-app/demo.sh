#!/usr/bin/env bash
#
# Plays the sample's story against a running sample service:
#   the hot offer -> the partner fails -> cold offers with their reason -> the breaker OPEN, the partner
#   left alone -> health still 200 -> the partner healed -> HALF_OPEN -> CLOSED -> a hanging partner cut
#   by the timeout -> a customer who asks too often answered 429 with Retry-After, another one served.
#
# Start the service first (from the project root):   mvn -pl sample-app -am spring-boot:run
# then:                                               sample-app/demo.sh
#
# Environment:
#   BASE_URL   where the service runs (default http://localhost:8080)
#   MAX_WAIT   seconds to wait at most for the breaker to leave OPEN (default 30; the sample's open wait is 5s)
#
# Needs curl; uses jq to print JSON on one line when it is installed, and prints the raw answers otherwise.
# Ends by itself: every wait is bounded.

set -euo pipefail

BASE_URL="${BASE_URL:-http://localhost:8080}"
MAX_WAIT="${MAX_WAIT:-30}"

if command -v jq >/dev/null 2>&1; then
    show() { jq -c . 2>/dev/null || true; }
else
    show() { cat; echo; }
fi

step() { printf '\n== %s\n' "$*"; }

# call METHOD PATH [JSON]: prints the request as a curl command, then the answer.
call() {
    local method="$1" path="$2" body="${3:-}"
    if [ -n "$body" ]; then
        printf "\$ curl -X %s %s%s -H 'Content-Type: application/json' -d '%s'\n" "$method" "$BASE_URL" "$path" "$body"
        curl -sS -X "$method" "$BASE_URL$path" -H 'Content-Type: application/json' -d "$body" | show
    elif [ "$method" = GET ]; then
        printf '$ curl %s%s\n' "$BASE_URL" "$path"
        curl -sS "$BASE_URL$path" | show
    else
        printf '$ curl -X %s %s%s\n' "$method" "$BASE_URL" "$path"
        curl -sS -X "$method" "$BASE_URL$path" | show
    fi
}

breaker_state() {
    curl -sS "$BASE_URL/actuator/circuitbreakers/partner" 2>/dev/null \
        | sed -n 's/.*"state" *: *"\([A-Z_]*\)".*/\1/p'
}

# Polls the breaker until it is in state $1, for at most MAX_WAIT seconds.
wait_for_state() {
    local wanted="$1" started=$SECONDS deadline=$((SECONDS + MAX_WAIT)) state=""
    while [ "$SECONDS" -lt "$deadline" ]; do
        state="$(breaker_state)"
        if [ "$state" = "$wanted" ]; then
            echo "(after $((SECONDS - started))s the breaker is $state)"
            return 0
        fi
        sleep 0.5
    done
    echo "(gave up after ${MAX_WAIT}s: the breaker is '${state:-unknown}', not $wanted)"
}

if ! curl -sS -o /dev/null "$BASE_URL/actuator/health" 2>/dev/null; then
    echo "No sample service at $BASE_URL. Start it with: mvn -pl sample-app -am spring-boot:run" >&2
    exit 1
fi

# Start from a healthy partner and a CLOSED breaker with an empty window.
curl -sS -o /dev/null -X DELETE "$BASE_URL/partner/chaos"
curl -sS -o /dev/null -X POST "$BASE_URL/actuator/circuitbreakers/partner" \
    -H 'Content-Type: application/json' -d '{"state": "CLOSED"}' || true

step "1. The partner is healthy: the offer is hot"
call GET /offer

step "2. The partner starts failing every call with HTTP 500"
call PUT /partner/chaos '{"failureRate":1.0,"status":500}'

step "3. Offers keep coming, cold, each with its reason (every call tried twice, then the breaker opens)"
for _ in 1 2 3; do call GET /offer; done

step "4. The breaker is OPEN: calls are refused at once and the partner receives none"
call GET /actuator/circuitbreakers/partner
call GET /partner/chaos
call GET /offer
call GET /partner/chaos

step "5. /actuator/health is still 200: a partner down must not take this service out of its load balancer"
printf '$ curl -w "%%{http_code}" %s/actuator/health\n' "$BASE_URL"
health_body="$(mktemp)"
health_status="$(curl -sS -o "$health_body" -w '%{http_code}' "$BASE_URL/actuator/health")"
echo "HTTP $health_status"
if command -v jq >/dev/null 2>&1; then
    jq -c '{status, circuitBreakers: .components.circuitBreakers}' "$health_body" 2>/dev/null || cat "$health_body"
else
    cat "$health_body"; echo
fi
rm -f "$health_body"

step "6. The partner is healed"
call DELETE /partner/chaos

step "7. Once the open-state wait (5s) is over, the breaker goes HALF_OPEN by itself"
wait_for_state HALF_OPEN
call GET /actuator/circuitbreakers/partner

step "8. Two trial calls reach the partner and succeed: the breaker is CLOSED again"
call GET /offer
call GET /offer
call GET /actuator/circuitbreakers/partner

step "9. The partner hangs for 3s: the offer answers within the 1s timeout"
call PUT /partner/chaos '{"latency":"3s"}'
printf '$ curl -w " in %%{time_total}s\\n" %s/offer\n' "$BASE_URL"
curl -sS -w ' in %{time_total}s\n' "$BASE_URL/offer"
call DELETE /partner/chaos

# A limit per customer: the rate limiter 'customer' keeps a minute of its own for each customer (a second run of this
# script within that minute finds alice refused from her first call).
step "10. Each customer may ask for 3 offers a minute: alice's first three are served"
for _ in 1 2 3; do call GET '/offer?customer=alice'; done

step "11. Her fourth within the minute is refused: 429, Retry-After the seconds until her next minute, no partner call"
call GET /partner/chaos
printf "\$ curl -i '%s/offer?customer=alice'\n" "$BASE_URL"
curl -sS -i "$BASE_URL/offer?customer=alice" | tr -d '\r' | grep -iE '^(HTTP|retry-after|content-type)|^[{]'
call GET /partner/chaos

step "12. Bob has a limit of his own"
call GET '/offer?customer=bob'
call GET /actuator/ratelimiters/customer

step "Done. Metrics: $BASE_URL/actuator/metrics/resilience.circuitbreaker.calls, $BASE_URL/actuator/metrics/resilience.ratelimiter.calls, $BASE_URL/actuator/prometheus"
