#pragma once

// Small helpers shared by the integration tests: event-loop waiting, JSON printing, process
// memory, unique names and reply checks. Everything runs on the calling (test) thread; the
// waiting helpers spin that thread's event loop so an in-process server keeps working.

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QtTest/QTest>

#include <functional>

namespace tern::test {

// AddressSanitizer keeps freed memory in a quarantine (256 MiB by default), so a process's RSS
// says nothing about leaks or queues there: memory bounds are only checked in normal builds.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kRssIsMeaningful = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kRssIsMeaningful = false;
#else
inline constexpr bool kRssIsMeaningful = true;
#endif
#else
inline constexpr bool kRssIsMeaningful = true;
#endif

//! Spin the event loop until `done()` is true or `timeoutMs` passed. Unlike QTest::qWaitFor it
//! never sleeps while events are pending, so high-throughput tests are not slowed to 100 Hz.
bool spinUntil(const std::function<bool()> &done, int timeoutMs);

//! Compact JSON for failure messages, cut to `maxChars`.
QString toJson(const QJsonObject &object, int maxChars = 1500);
QString toJson(const QJsonArray &array, int maxChars = 1500);

//! Resident set size in KiB of a process (0 = this process) from /proc/PID/status; -1 if unknown.
qint64 rssKiB(qint64 pid = 0);

//! A user name valid for the contract ([a-z0-9._-], 3..32 chars), unique within this process
//! and very likely across processes sharing a data dir.
QString uniqueName(const QString &prefix);

bool isAck(const QJsonObject &reply);
bool isError(const QJsonObject &reply, const QString &code);

//! Integer field of a reply or event (-1 when missing or not a number).
qint64 intField(const QJsonObject &object, const QString &key);

} // namespace tern::test

// Both evaluate their argument once (it is often a request with side effects).
#define TERN_VERIFY_ACK(reply)                                                                     \
    do {                                                                                           \
        const QJsonObject tern_reply_ = (reply);                                                   \
        QVERIFY2(tern::test::isAck(tern_reply_), qPrintable(QStringLiteral("expected ack, got ") + \
                                                            tern::test::toJson(tern_reply_)));     \
    } while (false)

#define TERN_VERIFY_ERROR(reply, code)                                                             \
    do {                                                                                           \
        const QJsonObject tern_reply_ = (reply);                                                   \
        QVERIFY2(tern::test::isError(tern_reply_, code),                                           \
                 qPrintable(QStringLiteral("expected error %1, got %2")                            \
                                .arg(QString(code), tern::test::toJson(tern_reply_))));            \
    } while (false)
