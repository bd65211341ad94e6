// Watchdog: a thread whose event loop stops turning is reported in the log once, and its
// return is reported too; a thread that keeps turning is never reported.

#include "server/Watchdog.h"

#include <QMutex>
#include <QStringList>
#include <QtTest>

#include <chrono>
#include <thread>

namespace {
QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previous = nullptr;

void collect(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log.append(message);
    }
    g_previous(type, context, message);
}

int logLinesWith(const QString &text)
{
    QMutexLocker lock(&g_logMutex);
    return int(g_log.filter(text).size());
}
} // namespace

class TestWatchdog : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { g_previous = qInstallMessageHandler(collect); }
    void cleanupTestCase() { qInstallMessageHandler(g_previous); }

    void reportsAStuckThreadAndItsReturn()
    {
        tern::server::Watchdog watchdog(QStringLiteral("test"), 200);
        // The stimulus, not a wait for a result: this thread's event loop stops for 1.2 s (the
        // watchdog counts silence from its construction, so no beat is needed first).
        std::this_thread::sleep_for(std::chrono::milliseconds(1200));
        QTRY_COMPARE_WITH_TIMEOUT(watchdog.stallsNoticed(), 1, 5000);
        QCOMPARE(logLinesWith("has not run its event loop"), 1);
        QTRY_COMPARE_WITH_TIMEOUT(logLinesWith("is running again"), 1, 5000);
    }

    void aTurningLoopIsNeverReported()
    {
        tern::server::Watchdog watchdog(QStringLiteral("busy-but-fine"), 1000);
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 2500)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QCOMPARE(watchdog.stallsNoticed(), 0);
    }
};

QTEST_GUILESS_MAIN(TestWatchdog)
#include "tst_watchdog.moc"
