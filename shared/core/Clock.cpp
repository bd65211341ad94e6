#include "Clock.h"

#include <QDateTime>

namespace tern {
qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace tern
