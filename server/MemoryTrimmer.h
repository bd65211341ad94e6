#pragma once

// Gives memory back to the system after a burst. glibc keeps freed heap pages for reuse: after
// an overload (1:1 at 14,000 msg/s) an idle ternd stayed at 430 MB where malloc_trim(0) brought
// it to 50 MB. Every interval, when the process was nearly idle (little CPU used) and the heap
// holds enough free bytes, it trims. A no-op where the C library has no malloc_trim.

#include <QObject>
#include <QTimer>

namespace tern::server {

class MemoryTrimmer : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        int intervalMs = 5000;
        double idleCpuFraction = 0.05; // of one core, over the interval
        qint64 minFreeBytes = 16 * 1024 * 1024;
    };

    explicit MemoryTrimmer(Settings settings, QObject *parent = nullptr);

    //! Trims done so far.
    int trims() const { return m_trims; }
    //! True where trimming is possible (glibc).
    static bool supported();

private:
    void check();

    Settings m_settings;
    QTimer m_timer;
    double m_lastCpuSeconds = 0;
    int m_trims = 0;
};

} // namespace tern::server
