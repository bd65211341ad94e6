// TokenVault: off with TERN_NO_KEYCHAIN=1; with a working keychain backend a write/read/remove
// round trip; without one (the usual headless box: no D-Bus session) a reported failure within
// seconds, never a hang, and the vault switches itself off so the caller falls back.

#include "app/session/TokenVault.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QUuid>
#include <QtTest>

#include <qcoro/qcorotask.h>

using namespace tern;
using tern::app::session::TokenVault;

namespace {
// The job timeout plus slack: a hung keychain must still end the call.
constexpr int kMaxCallMs = TokenVault::kJobTimeoutMs + 2000;
} // namespace

class TestTokenVault : public QObject
{
    Q_OBJECT

private slots:
    void disabledByEnvironment();
    void roundTripOrReportedFailure();
    void destroyedVaultEndsCall();
};

void TestTokenVault::disabledByEnvironment()
{
    qputenv("TERN_NO_KEYCHAIN", "1");
    TokenVault vault;
    qunsetenv("TERN_NO_KEYCHAIN");
    QVERIFY(!vault.keychainAvailable());

    QElapsedTimer clock;
    clock.start();
    const Status written = QCoro::waitFor(vault.write(QStringLiteral("k"), QStringLiteral("t")));
    QVERIFY(!written.ok());
    const Result<QString> read = QCoro::waitFor(vault.read(QStringLiteral("k")));
    QVERIFY(!read.ok());
    QCOMPARE(read.error().code, ErrorCode::Internal);
    const Status removed = QCoro::waitFor(vault.remove(QStringLiteral("k")));
    QVERIFY(!removed.ok());
    QVERIFY(clock.elapsed() < 1000);
}

void TestTokenVault::roundTripOrReportedFailure()
{
    qunsetenv("TERN_NO_KEYCHAIN");
    TokenVault vault;
    if (!vault.keychainAvailable())
        QSKIP("built without QtKeychain");
    QSignalSpy availability(&vault, &TokenVault::keychainAvailableChanged);

    const QString key = QStringLiteral("tst_tokenvault/") + QUuid::createUuid().toString();
    const QString token = QStringLiteral("token-") + QUuid::createUuid().toString();

    QElapsedTimer clock;
    clock.start();
    const Status written = QCoro::waitFor(vault.write(key, token));
    QVERIFY2(clock.elapsed() < kMaxCallMs, "the keychain call hung");

    if (!written.ok()) {
        qInfo("no working keychain backend here: %s", qPrintable(written.error().message));
        QVERIFY(!written.error().message.isEmpty());
        QVERIFY(!vault.keychainAvailable());
        QCOMPARE(availability.count(), 1);
        QCOMPARE(availability.first().first().toBool(), false);
        // Later calls answer at once instead of trying the broken backend again.
        clock.restart();
        const Result<QString> read = QCoro::waitFor(vault.read(key));
        QVERIFY(!read.ok());
        QVERIFY(clock.elapsed() < 1000);
        return;
    }

    const Result<QString> read = QCoro::waitFor(vault.read(key));
    QVERIFY2(read.ok(), qPrintable(read.ok() ? QString() : read.error().message));
    QCOMPARE(read.value(), token);
    const Status removed = QCoro::waitFor(vault.remove(key));
    QVERIFY(removed.ok());
    const Result<QString> gone = QCoro::waitFor(vault.read(key));
    QVERIFY(!gone.ok());
    QCOMPARE(gone.error().code, ErrorCode::NotFound);
    // Removing what is not there is fine.
    QVERIFY(QCoro::waitFor(vault.remove(key)).ok());
    QVERIFY(vault.keychainAvailable());
}

void TestTokenVault::destroyedVaultEndsCall()
{
    qunsetenv("TERN_NO_KEYCHAIN");
    auto *vault = new TokenVault;
    if (!vault->keychainAvailable()) {
        delete vault;
        QSKIP("built without QtKeychain");
    }
    // The call must complete (with an error) even though its vault is gone mid-flight.
    QCoro::Task<Result<QString>> task = vault->read(QStringLiteral("tst_tokenvault/none"));
    delete vault;
    QElapsedTimer clock;
    clock.start();
    const Result<QString> read = QCoro::waitFor(std::move(task));
    QVERIFY(!read.ok());
    QVERIFY(clock.elapsed() < kMaxCallMs);
}

QTEST_GUILESS_MAIN(TestTokenVault)
#include "tst_tokenvault.moc"
