#pragma once

//! Wall-clock time in the protocol's unit: integer milliseconds since the Unix epoch.

#include <QtGlobal>

namespace tern {
qint64 nowMs();
}
