#!/usr/bin/env bash
# The room check: fails with FILE:LINE, the include and the rule it breaks when a file of app/,
# shared/ or server/ includes a room it may not use. It reads #include lines only (no build
# needed, well under a second). The rules are the tables in docs/architecture.md ("Rooms");
# change both together. .ci/run runs it before the tests; ctest runs it and its self-test.
#
#   scripts/check-includes.sh [ROOT]      check the tree at ROOT (default: this repository)
#   scripts/check-includes.sh --self-test check that every rule catches a planted violation
set -euo pipefail

check() {
  local root=$1
  local -a files
  mapfile -t files < <(cd "$root" && find app shared server -type f \( -name '*.h' -o -name '*.cpp' \) 2>/dev/null | LC_ALL=C sort)
  [ ${#files[@]} -gt 0 ] || { echo "check-includes: no sources under $root" >&2; return 2; }
  (cd "$root" && awk '
BEGIN {
  # The rooms each room may include, besides itself (docs/architecture.md, "Rooms").
  # shared: only the shared rooms below it.
  below["shared/core"] = ""
  below["shared/model"] = "core"
  below["shared/crypto"] = "core"
  below["shared/protocol"] = "core model"
  below["shared/sql"] = "core model protocol"   # protocol: the message rows both stores map
  below["shared/transport"] = "core model protocol"
  # app: one direction, cache -> client -> models -> session -> ui (the ui skips the cache).
  below["app/cache"] = ""
  below["app/client"] = "cache"
  below["app/models"] = "cache client"
  below["app/session"] = "cache client models"
  below["app/ui"] = "client models session"
  # server: the room graph; server/*.cpp (ServerApp, main) may include every room.
  below["server/config"] = ""
  below["server/store"] = ""
  below["server/http"] = ""
  below["server/auth"] = "config store"
  below["server/routing"] = "config store auth"
  below["server/net"] = "config auth routing http"
  below["server/media"] = "config store auth http"
  below["server/tls"] = "config"
  below["server/admin"] = "config store"
  # The shared rooms app/ and server/ use; transport is the client side of the wire, SQL is the
  # cache'"'"'s and the store'"'"'s.
  sharedFor["app"] = "core model crypto protocol"
  sharedFor["app/cache"] = "core model crypto protocol sql"
  sharedFor["app/client"] = "core model crypto protocol transport"
  sharedFor["server"] = "core model crypto protocol"
  sharedFor["server/store"] = "core model crypto protocol sql"
  bad = 0
}
function has(list, word) { return index(" " list " ", " " word " ") > 0 }
function report(line, inc, rule) {
  printf "%s:%d: #include %s: %s\n", FILENAME, line, inc, rule
  bad++
}
FNR == 1 {
  n = split(FILENAME, p, "/")
  side = p[1]
  room = (n > 2) ? side "/" p[2] : side          # "server" alone: ServerApp.cpp, main.cpp
  if (n > 2 && !(room in below))
    report(1, "(any)", "room " room " is in no table: add it to docs/architecture.md and scripts/check-includes.sh")
}
/^[ \t]*#[ \t]*include[ \t]*[<"]/ {
  if (!match($0, /[<"][^>"]+[>"]/)) next
  inc = substr($0, RSTART, RLENGTH)
  path = substr(inc, 2, RLENGTH - 2)
  if (substr(inc, 1, 1) == "<") {
    if (path ~ /^(QSql|QtSql\/)/ && room != "shared/sql" && room != "server/store" && room != "app/cache")
      report(FNR, inc, "QtSql only in shared/sql, server/store and app/cache")
    else if (path ~ /^(QWebSocket|QtWebSockets\/)/ && room != "shared/transport")
      report(FNR, inc, "QWebSocket only in shared/transport (ternd frames WebSocket itself)")
    else if (path ~ /^sodium/ && room != "shared/crypto")
      report(FNR, inc, "libsodium only in shared/crypto")
    else if (path ~ /^openssl\// && room != "server/tls")
      report(FNR, inc, "OpenSSL only in server/tls")
    else if ((room == "app/ui" || room == "app/models") &&
             path ~ /^(QTcpSocket|QUdpSocket|QSslSocket|QLocalSocket|QAbstractSocket|QNetworkAccessManager|QNetworkReply)$/)
      report(FNR, inc, room " talks to no socket: go through app/session or app/client")
    next
  }
  if (path ~ /(^|\/)\.\.\//) { report(FNR, inc, "name includes from the repository root, not with ../"); next }
  m = split(path, q, "/")
  if (m == 1) next                                  # beside the file: its own room
  to = q[1]; toRoom = (m > 2) ? q[1] "/" q[2] : q[1]
  if (to != "app" && to != "shared" && to != "server") {
    if (to == "tests") report(FNR, inc, "product code never includes tests/")
    next
  }
  if (side == "shared" && to != "shared") { report(FNR, inc, "shared never includes app/ or server/"); next }
  if (side == "app" && to == "server") { report(FNR, inc, "app never includes server/"); next }
  if (side == "server" && to == "app") { report(FNR, inc, "server never includes app/"); next }
  if (to == "shared" && side != "shared") {
    key = (room in sharedFor) ? room : side
    if (!has(sharedFor[key], q[2]))
      report(FNR, inc, room " may use shared/{" sharedFor[key] "} only")
    next
  }
  # Same side from here on.
  if (toRoom == room || room == side) next          # own room; the composition root uses all
  if (m == 2) { report(FNR, inc, "a room never includes " side "/" q[2] " (the composition root)"); next }
  if (room in below && !has(below[room], q[2]))
    report(FNR, inc, room " may include " (below[room] == "" ? "no other " side " room" : side "/{" below[room] "} only"))
}
END {
  if (bad) { printf "check-includes: %d include(s) break the room rules (docs/architecture.md, \"Rooms\")\n", bad > "/dev/stderr"; exit 1 }
}' "${files[@]}")
}

self_test() {
  local tmp
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  # plant FILE LINE-TEXT...: writes the file; a line marked "BAD " must be reported at its number.
  local -a expected=()
  plant() {
    local file=$1; shift
    mkdir -p "$tmp/tree/$(dirname "$file")"
    : > "$tmp/tree/$file"
    local n=0 line
    for line in "$@"; do
      n=$((n + 1))
      if [[ $line == BAD\ * ]]; then line=${line#BAD }; expected+=("$file:$n"); fi
      printf '%s\n' "$line" >> "$tmp/tree/$file"
    done
  }
  # Allowed: must not be reported.
  plant app/main.cpp '#include "app/ui/MainWindow.h"' '#include "app/cache/LocalStore.h"'
  plant app/ui/Good.cpp '#include "Good.h"' '#include "app/session/AccountSession.h"' \
    '#include "app/client/ChatClient.h"' '#include "shared/protocol/Messages.h"' '#include <QWidget>' \
    '// #include "server/net/WsServer.h"' '#include <QHostAddress>'
  plant app/cache/Good.cpp '#include "shared/sql/SqlDb.h"' '#include <QSqlQuery>'
  plant app/client/Good.cpp '#include "shared/transport/ClientConnection.h"' '#include "app/cache/CacheTypes.h"'
  plant shared/transport/Good.cpp '#include "shared/protocol/Codec.h"' '#include <QWebSocket>'
  plant shared/crypto/Good.cpp '#include <sodium.h>' '#include "shared/core/Log.h"'
  plant server/ServerApp.cpp '#include "server/tls/ServerCertificate.h"' '#include "server/admin/AdminChannel.h"'
  plant server/net/Good.cpp '#include "server/routing/Router.h"' '#include "server/http/HttpConnection.h"' \
    '#include "shared/protocol/Codec.h"' '#include <QTcpSocket>'
  plant server/store/Good.cpp '#include "shared/sql/SqlDb.h"' '#include <QSqlQuery>'
  plant server/tls/Good.cpp '#include <openssl/x509.h>' '#include "server/config/DataDir.h"'
  # One of each breach.
  plant app/ui/Bad.cpp '#include "Bad.h"' 'BAD #include "server/net/WsServer.h"' \
    'BAD #include "app/cache/LocalStore.h"' 'BAD #include "shared/sql/SqlDb.h"' \
    'BAD #include "shared/transport/ClientConnection.h"' 'BAD #include <QSqlQuery>' \
    'BAD #  include <QUdpSocket>' 'BAD #include "../client/ChatClient.h"'
  plant app/models/Bad.cpp 'BAD #include "app/session/AccountSession.h"' 'BAD #include <QWebSocket>'
  plant app/cache/Bad.cpp 'BAD #include "tests/support/TestClient.h"'
  plant shared/core/Bad.h '#pragma once' 'BAD #include "shared/protocol/Messages.h"'
  plant shared/model/Bad.cpp 'BAD #include "app/client/ChatClient.h"' 'BAD #include <sodium.h>'
  plant shared/protocol/Bad.cpp 'BAD #include "server/store/Store.h"' 'BAD #include "shared/sql/SqlDb.h"'
  plant server/store/Bad.cpp 'BAD #include "server/routing/Router.h"'
  plant server/config/Bad.cpp 'BAD #include "server/tls/ServerCertificate.h"'
  plant server/tls/Bad.cpp 'BAD #include "server/admin/AdminChannel.h"'
  plant server/net/Bad.cpp 'BAD #include "shared/transport/ClientConnection.h"' 'BAD #include <openssl/evp.h>'
  plant server/routing/Bad.cpp 'BAD #include "shared/sql/SqlDb.h"' 'BAD #include "server/media/MediaApi.h"'
  plant server/http/Bad.cpp 'BAD #include "app/client/ChatClient.h"'
  plant server/auth/Bad.cpp 'BAD #include "server/ServerApp.h"'
  plant server/newroom/Thing.cpp 'BAD #include "shared/core/Log.h"'

  local out rc=0
  out=$(check "$tmp/tree" 2>/dev/null) || rc=$?
  local got want
  got=$(printf '%s\n' "$out" | grep -o '^[^:]*:[0-9]*' | LC_ALL=C sort || true)
  want=$(printf '%s\n' "${expected[@]}" | LC_ALL=C sort)
  if [ "$rc" -ne 1 ] || [ "$got" != "$want" ]; then
    echo "check-includes self-test FAILED (exit $rc; want 1)"
    diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^</missed:/; s/^>/wrongly reported:/' || true
    printf '%s\n' "$out"
    return 1
  fi
  # A tree that keeps the rules passes quietly.
  rm -f "$tmp"/tree/*/*/Bad* "$tmp"/tree/server/newroom/Thing.cpp
  out=$(check "$tmp/tree" 2>&1) || { echo "check-includes self-test FAILED: a clean tree was refused"; printf '%s\n' "$out"; return 1; }
  echo "check-includes self-test: ${#expected[@]} planted breaches caught, clean tree passes"
}

case "${1:-}" in
  --self-test) self_test ;;
  -h|--help) sed -n '2,8p' "$0" ;;
  *) check "${1:-$(cd "$(dirname "$0")/.." && pwd)}" ;;
esac
