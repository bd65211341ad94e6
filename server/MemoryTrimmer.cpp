#include "MemoryTrimmer.h"

#include "shared/core/Log.h"

#include <QtGlobal>

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define TERN_HAVE_MALLOC_TRIM 1
#include <malloc.h>
#include <sys/resource.h>
#endif

namespace tern::server {

namespace {
double processCpuSeconds()
{
#ifdef TERN_HAVE_MALLOC_TRIM
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
#else
    return 0;
#endif
}
} // namespace

bool MemoryTrimmer::supported()
{
#ifdef TERN_HAVE_MALLOC_TRIM
    return true;
#else
    return false;
#endif
}

MemoryTrimmer::MemoryTrimmer(Settings settings, QObject *parent)
    : QObject(parent), m_settings(settings), m_lastCpuSeconds(processCpuSeconds())
{
    if (!supported())
        return;
    m_timer.setInterval(m_settings.intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &MemoryTrimmer::check);
    m_timer.start();
}

void MemoryTrimmer::check()
{
#ifdef TERN_HAVE_MALLOC_TRIM
    const double cpu = processCpuSeconds();
    const double used = cpu - m_lastCpuSeconds;
    m_lastCpuSeconds = cpu;
    if (used > m_settings.idleCpuFraction * m_settings.intervalMs / 1000.0)
        return; // busy: the freed memory is about to be used again
    const struct mallinfo2 info = mallinfo2();
    if (qint64(info.fordblks) < m_settings.minFreeBytes)
        return;
    malloc_trim(0);
    ++m_trims;
    qCDebug(lcServer) << "gave back free heap memory:" << qint64(info.fordblks) / 1024 << "KiB";
    m_lastCpuSeconds = processCpuSeconds(); // the trim's own time is not traffic
#endif
}

} // namespace tern::server
