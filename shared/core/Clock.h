#pragma once

//! Wall-clock time in the protocol's unit: integer milliseconds since the Unix epoch.

#include <QtGlobal>

namespace tern {
qint64 nowMs();

//! Moves this process's nowMs() forward by `ms` from now on (thread-safe). Only for tests that
//! need time to pass (distinct timestamps, expiry) without sleeping; ternd and tern never call it.
void advanceClockForTesting(qint64 ms);
} // namespace tern
