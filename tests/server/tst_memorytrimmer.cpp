// MemoryTrimmer: freed heap memory that glibc keeps (a burst's buffers, freed beneath one
// block still in use) goes back to the system once the process is idle, and not while it is
// busy.

#include "server/MemoryTrimmer.h"

#include <QFile>
#include <QtTest>

#include <cstdlib>
#include <cstring>
#include <vector>

using tern::server::MemoryTrimmer;

namespace {
qint64 rssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

//! A burst's worth of small blocks, all freed but the last, which keeps the heap's top in use
//! so glibc cannot shrink the heap on its own. Returns that last block.
void *burstLeavingOneBlock(int blocks, int size)
{
    std::vector<void *> all;
    all.reserve(std::size_t(blocks));
    for (int i = 0; i < blocks; ++i) {
        void *block = std::malloc(std::size_t(size));
        std::memset(block, 1, std::size_t(size));
        all.push_back(block);
    }
    for (int i = 0; i + 1 < blocks; ++i)
        std::free(all[std::size_t(i)]);
    return all.back();
}
} // namespace

class TestMemoryTrimmer : public QObject
{
    Q_OBJECT
private slots:
    void givesFreedHeapBackWhenIdle()
    {
        if (!MemoryTrimmer::supported())
            QSKIP("no malloc_trim here (not glibc, or AddressSanitizer's allocator)");
        void *pin = burstLeavingOneBlock(250'000, 1000);
        const qint64 before = rssKiB();
        QVERIFY2(before > 200 * 1024, qPrintable(QString::number(before)));
        MemoryTrimmer trimmer({200, 0.5, 16 * 1024 * 1024});
        QTRY_VERIFY_WITH_TIMEOUT(trimmer.trims() >= 1, 10'000);
        const qint64 after = rssKiB();
        QVERIFY2(after < before - 150 * 1024,
                 qPrintable(QStringLiteral("RSS %1 KiB -> %2 KiB").arg(before).arg(after)));
        std::free(pin);
    }

    void leavesABusyProcessAlone()
    {
        if (!MemoryTrimmer::supported())
            QSKIP("no malloc_trim here (not glibc, or AddressSanitizer's allocator)");
        void *pin = burstLeavingOneBlock(50'000, 1000);
        // Busy means more CPU than the idle share: spin the loop and the CPU for 3 intervals.
        MemoryTrimmer trimmer({300, 0.05, 1024 * 1024});
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 900)
            QCoreApplication::processEvents(QEventLoop::AllEvents);
        QCOMPARE(trimmer.trims(), 0);
        std::free(pin);
    }
};

QTEST_GUILESS_MAIN(TestMemoryTrimmer)
#include "tst_memorytrimmer.moc"
