#include "tests/support/TestUtil.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTimer>

#include <atomic>

namespace tern::test {

bool spinUntil(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QDeadlineTimer deadline(timeoutMs, Qt::PreciseTimer);
    // The ticking timer bounds how long WaitForMoreEvents can block when nothing happens.
    QTimer tick;
    tick.setInterval(5);
    tick.start();
    for (;;) {
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
        // Nested processEvents does not run deleteLater(); the server relies on it.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        if (done())
            return true;
        if (deadline.hasExpired())
            return done();
    }
}

QString toJson(const QJsonObject &object, int maxChars)
{
    QString text = QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    if (object.isEmpty())
        text = QStringLiteral("{} (nothing / timeout)");
    if (text.size() > maxChars)
        text = text.left(maxChars) + QStringLiteral("…(%1 chars)").arg(text.size());
    return text;
}

QString toJson(const QJsonArray &array, int maxChars)
{
    QString text = QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
    if (text.size() > maxChars)
        text = text.left(maxChars) + QStringLiteral("…(%1 chars)").arg(text.size());
    return text;
}

qint64 rssKiB(qint64 pid)
{
    QFile file(pid == 0 ? QStringLiteral("/proc/self/status")
                        : QStringLiteral("/proc/%1/status").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (!line.startsWith("VmRSS:"))
            continue;
        const QList<QByteArray> parts = line.mid(6).simplified().split(' ');
        bool ok = false;
        const qint64 value = parts.value(0).toLongLong(&ok);
        return ok ? value : -1;
    }
    return -1;
}

QString uniqueName(const QString &prefix)
{
    static std::atomic<int> counter{0};
    static const QString salt =
        QString::number(QRandomGenerator::global()->bounded(36 * 36 * 36 * 36), 36);
    QString name = prefix.toLower().left(12) + QLatin1Char('.') + salt + QLatin1Char('.') +
                   QString::number(++counter);
    return name.left(32);
}

bool isAck(const QJsonObject &reply)
{
    return reply.value(QStringLiteral("type")).toString() == QStringLiteral("ack");
}

bool isError(const QJsonObject &reply, const QString &code)
{
    return reply.value(QStringLiteral("type")).toString() == QStringLiteral("error") &&
           reply.value(QStringLiteral("code")).toString() == code;
}

qint64 intField(const QJsonObject &object, const QString &key)
{
    const QJsonValue value = object.value(key);
    if (!value.isDouble())
        return -1;
    return value.toInteger(-1);
}

} // namespace tern::test
