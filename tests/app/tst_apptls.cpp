// The app's TLS user interface (issue 17), the whole app offscreen against real ternd processes:
// - first use through the REAL TrustServerDialog: it shows the fingerprint `fingerprint::grouped`
//   gives for the server's certificate; Cancel pins nothing and stays on the server page; Trust
//   and connect pins it (trusted-servers.ini), the sign-in page says "Encrypted · …", an account
//   is made and a message goes through; Settings shows the fingerprint;
// - a restart of the app reconnects without any dialog;
// - ternd restarted with another certificate: the blocking CertificateChangedDialog shows the old
//   and the new fingerprint, nothing is sent; only the NEW fingerprint pasted replaces the pin,
//   then the app reconnects and the waiting message goes out;
// - a ws:// server is "Not encrypted" on the sign-in page and in Settings;
// - a server hosted by the app (ternd's default: its own certificate) is pinned without a
//   question, and re-pinned silently when its data dir got a new certificate.

#include "app/client/ChatClient.h"
#include "app/client/ServerDiscovery.h"
#include "app/client/ServerProbe.h"
#include "app/client/TrustedServers.h"
#include "app/session/AccountSession.h"
#include "app/session/AppSettings.h"
#include "app/session/ServerHost.h"
#include "app/ui/AppController.h"
#include "app/ui/CertificateChangedDialog.h"
#include "app/ui/ConnectWidget.h"
#include "app/ui/ConnectionBanner.h"
#include "app/ui/MainWindow.h"
#include "app/ui/SettingsDialog.h"
#include "app/ui/TrustServerDialog.h"
#include "shared/crypto/Crypto.h"
#include "shared/model/CertificateFingerprint.h"
#include "tests/app/AppTestAccount.h"
#include "tests/support/AppDriver.h"
#include "tests/support/ChildServer.h"
#include "tests/support/TestCertificate.h"

#include <QAbstractButton>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

#include <memory>

using namespace tern;
using namespace tern::test;
using app::ui::ConnectWidget;

namespace {

constexpr int kWaitMs = 15'000;

QSslCertificate load(const QString &path)
{
    return test::readCertificate(path);
}

QString groupedOf(const QSslCertificate &certificate)
{
    return fingerprint::grouped(fingerprint::sha256(certificate.toDer()));
}

void click(QWidget *button)
{
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton, {}, button->rect().center());
}

QString labelText(const AppDriver &app, const QString &name)
{
    auto *label = app.find<QLabel>(name);
    return label ? label->text() : QString();
}

//! On the connect screen: past the welcome page, types `url` and presses Connect.
void typeAddress(const AppDriver &app, const QUrl &url)
{
    ConnectWidget *connect = app.window()->connectWidget();
    if (connect->page() == ConnectWidget::Page::Welcome)
        click(app.find<QAbstractButton>(QStringLiteral("welcomeContinueButton")));
    QTRY_COMPARE_WITH_TIMEOUT(connect->page(), ConnectWidget::Page::ChooseServer, kWaitMs);
    auto *address = app.find<QLineEdit>(QStringLiteral("addressEdit"));
    QVERIFY(address);
    address->setFocus();
    address->clear();
    QTest::keyClicks(address, url.toString());
    click(app.find<QAbstractButton>(QStringLiteral("connectButton")));
}

//! The settings dialog, opened as the ≡ menu does.
app::ui::SettingsDialog *openSettings(const AppDriver &app)
{
    emit app.window()->settingsRequested();
    app::ui::SettingsDialog *dialog = nullptr;
    AppDriver::waitUntil([&] {
        dialog = app.window()->findChild<app::ui::SettingsDialog *>();
        return dialog && dialog->isVisible();
    });
    return dialog;
}

} // namespace

class TestAppTls : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void firstUseRestartAndChangedCertificate();
    void plainServerIsNotEncrypted();
    void hostedServerIsPinnedWithoutAQuestion();
    void lanServerIsCheckedBeforeSignIn();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestAppTls::initTestCase()
{
    QVERIFY(crypto::initialize());
    m_dir = std::make_unique<QTemporaryDir>();
}

void TestAppTls::firstUseRestartAndChangedCertificate()
{
    TestCertificate first, second;
    QVERIFY2(first.ok() && second.ok(), qPrintable(first.error + second.error));
    const QSslCertificate certA = load(first.certFile);
    const QSslCertificate certB = load(second.certFile);
    QVERIFY(!certA.isNull() && !certB.isNull());

    ChildServer server;
    server.setExtraArgs(
        {QStringLiteral("--tls-cert"), first.certFile, QStringLiteral("--tls-key"), first.keyFile});
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const QUrl url(QStringLiteral("wss://127.0.0.1:%1/ws").arg(server.port()));
    const QString profile = m_dir->filePath(QStringLiteral("alice"));

    AppDriver alice;
    QVERIFY2(alice.launch(profile), alice.error());
    ConnectWidget *connect = alice.window()->connectWidget();
    app::client::TrustedServers *pins = alice.controller->trustedServers();

    // (a) First use: the real dialog, with the server's real fingerprint. Cancel: nothing.
    typeAddress(alice, url);
    if (QTest::currentTestFailed())
        return;
    app::ui::TrustServerDialog *trust = nullptr;
    QVERIFY2(AppDriver::waitUntil([&] {
                 trust = alice.window()->findChild<app::ui::TrustServerDialog *>();
                 return trust && trust->isVisible();
             }),
             qPrintable(alice.dumpWidgets()));
    QCOMPARE(trust->fingerprint(), groupedOf(certA));
    QCOMPARE(labelText(alice, QStringLiteral("fingerprintLabel")).remove(QLatin1Char('\n')),
             groupedOf(certA));
    click(alice.find<QAbstractButton>(QStringLiteral("cancelButton")));
    QTRY_VERIFY_WITH_TIMEOUT(
        !alice.window()->findChild<app::ui::TrustServerDialog *>() ||
            !alice.window()->findChild<app::ui::TrustServerDialog *>()->isVisible(),
        kWaitMs);
    QVERIFY(!pins->pin(url));
    QCOMPARE(connect->page(), ConnectWidget::Page::ChooseServer);

    // Again: Trust and connect → pinned → the sign-in page says it is encrypted, and with what.
    typeAddress(alice, url);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(AppDriver::waitUntil([&] {
        auto *button = alice.find<QAbstractButton>(QStringLiteral("trustButton"));
        return button && button->isVisible();
    }));
    click(alice.find<QAbstractButton>(QStringLiteral("trustButton")));
    QTRY_COMPARE_WITH_TIMEOUT(connect->page(), ConnectWidget::Page::SignIn, kWaitMs);
    QVERIFY(pins->pin(url));
    QCOMPARE(pins->pin(url)->certificate, certA);
    const QString security = labelText(alice, QStringLiteral("serverSecurityLabel"));
    QVERIFY2(security.startsWith(QStringLiteral("Encrypted")) &&
                 security.contains(groupedOf(certA).left(15)),
             qPrintable(security));
    {
        QSettings ini(QDir(profile).filePath(QStringLiteral("trusted-servers.ini")),
                      QSettings::IniFormat);
        QVERIFY2(!ini.allKeys().isEmpty(), "trusted-servers.ini holds the pin");
    }
    alice.screenshot(QStringLiteral("tls-signin.png"));
    QVERIFY2(alice.signUp(url, QStringLiteral("alice"), QStringLiteral("Alice")), alice.error());

    // A peer (a bare client that trusts the same certificate) to write to.
    app::client::TrustedServers bobPins(m_dir->filePath(QStringLiteral("bob")));
    bobPins.setPin(url, certA);
    AppTestAccount bob;
    QVERIFY(bob.login(m_dir->path(), url, QStringLiteral("bob"), false, &bobPins));
    QVERIFY2(alice.openChat(QStringLiteral("BOB")), alice.error());
    QVERIFY2(alice.send(QStringLiteral("over TLS")), alice.error());
    QVERIFY2(alice.waitForTick(QStringLiteral("over TLS"), Tick::Sent), alice.error());

    // (f) Settings: encrypted, the fingerprint in full, pinned since today.
    app::ui::SettingsDialog *settings = openSettings(alice);
    QVERIFY(settings);
    settings->grab().save(QDir(qEnvironmentVariable("TERN_TEST_OUTDIR", QDir::tempPath()))
                              .filePath(QStringLiteral("tls-settings.png")));
    QVERIFY2(labelText(alice, QStringLiteral("connectionSecurityLabel"))
                 .startsWith(QStringLiteral("Encrypted")),
             qPrintable(labelText(alice, QStringLiteral("connectionSecurityLabel"))));
    QCOMPARE(
        labelText(alice, QStringLiteral("connectionFingerprintLabel")).remove(QLatin1Char('\n')),
        groupedOf(certA));
    QVERIFY(!labelText(alice, QStringLiteral("pinnedSinceLabel")).isEmpty());
    settings->reject();

    // (b) Restart the app: back online, no question asked.
    alice.close();
    QVERIFY2(alice.launch(profile), alice.error());
    pins = alice.controller->trustedServers(); // the new instance's, read from the profile
    QVERIFY(pins->pin(url));
    QVERIFY(AppDriver::waitUntil([&] { return alice.session() && alice.online(); }));
    QVERIFY(!alice.window()->findChild<app::ui::TrustServerDialog *>());
    QVERIFY(!alice.window()->findChild<app::ui::CertificateChangedDialog *>());
    QVERIFY2(alice.openChat(QStringLiteral("BOB")), alice.error());

    // (c) ternd comes back with another certificate: refused, blocking, both fingerprints.
    server.kill();
    // The same address (a pin is per host and port), another certificate.
    server.setExtraArgs({QStringLiteral("--tls-cert"), second.certFile, QStringLiteral("--tls-key"),
                         second.keyFile, QStringLiteral("--port"), QString::number(url.port())});
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QCOMPARE(server.port(), quint16(url.port()));
    alice.client()->connection()->retryNow();
    app::ui::CertificateChangedDialog *changed = nullptr;
    QVERIFY2(AppDriver::waitUntil([&] {
                 changed = alice.window()->findChild<app::ui::CertificateChangedDialog *>();
                 return changed && changed->isVisible();
             }),
             qPrintable(alice.dumpWidgets()));
    QCOMPARE(changed->oldFingerprint(), groupedOf(certA));
    QCOMPARE(changed->newFingerprint(), groupedOf(certB));
    QVERIFY(QApplication::activeModalWidget() == changed);
    // Once per problem, not per try: Retry is refused again, and no second dialog opens.
    QSignalSpy refusedAgain(alice.client()->connection(),
                            &app::client::ChatConnection::certificateRefused);
    alice.client()->connection()->retryNow();
    QVERIFY(refusedAgain.wait(kWaitMs));
    QCoreApplication::processEvents();
    QCOMPARE(alice.window()->findChildren<app::ui::CertificateChangedDialog *>().size(), 1);
    auto *banner = alice.window()->findChild<app::ui::ConnectionBanner *>();
    QVERIFY(banner);
    QTRY_VERIFY_WITH_TIMEOUT(banner->text().contains(QStringLiteral("identity has changed")),
                             kWaitMs);
    // Written now, it waits: nothing goes to a server whose certificate was refused.
    QVERIFY2(alice.send(QStringLiteral("after the change")), alice.error());
    QVERIFY2(alice.waitForMessage(QStringLiteral("after the change")), alice.error());
    QVERIFY(alice.client()->connection()->state() != app::client::ChatConnection::State::Online);
    const auto waiting = alice.messages();
    QVERIFY(!waiting.isEmpty() && waiting.last().text == QStringLiteral("after the change"));
    QCOMPARE(waiting.last().tick, Tick::Pending);
    QCOMPARE(pins->pin(url)->certificate, certA); // nothing replaced on its own

    // Closed: it stays refused, and Settings → Connection shows the pinned fingerprint and
    // offers the same replace step (as the dialog's "Replace the pinned certificate…").
    click(changed->findChild<QAbstractButton *>(QStringLiteral("closeButton")));
    QTRY_VERIFY_WITH_TIMEOUT(!alice.window()->findChild<app::ui::CertificateChangedDialog *>(),
                             kWaitMs);
    QVERIFY(alice.client()->connection()->state() != app::client::ChatConnection::State::Online);
    settings = openSettings(alice);
    QVERIFY(settings);
    auto *replacePin = settings->findChild<QAbstractButton *>(QStringLiteral("replacePinButton"));
    QVERIFY(replacePin && replacePin->isVisible() && replacePin->isEnabled());
    click(replacePin);
    QVERIFY(AppDriver::waitUntil([&] {
        changed = alice.window()->findChild<app::ui::CertificateChangedDialog *>();
        return changed && changed->isVisible();
    }));
    QCOMPARE(changed->newFingerprint(), groupedOf(certB));

    // Replacing: the old fingerprint does not do; the new one does.
    auto *edit = changed->findChild<QLineEdit *>(QStringLiteral("newFingerprintCheckEdit"));
    auto *replace = changed->findChild<QAbstractButton *>(QStringLiteral("replaceButton"));
    QVERIFY(edit && replace && edit->isVisible());
    edit->setText(groupedOf(certA));
    QVERIFY(!replace->isEnabled());
    edit->setText(groupedOf(certB));
    QVERIFY(replace->isEnabled());
    click(replace);
    QTRY_COMPARE_WITH_TIMEOUT(pins->pin(url)->certificate, certB, kWaitMs);
    QVERIFY(AppDriver::waitUntil([&] { return alice.online(); }));
    bobPins.setPin(url, certB);
    QVERIFY2(alice.waitForTick(QStringLiteral("after the change"), Tick::Sent), alice.error());
    QTRY_VERIFY_WITH_TIMEOUT(banner->text().isEmpty(), kWaitMs);

    // Signed in, a server whose certificate has no pin (as one that moved from a CA-signed to
    // a self-signed certificate): the trust question, then online again.
    pins->removePin(url);
    server.kill();
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    alice.client()->connection()->retryNow();
    QVERIFY2(AppDriver::waitUntil([&] {
                 trust = alice.window()->findChild<app::ui::TrustServerDialog *>();
                 return trust && trust->isVisible();
             }),
             qPrintable(alice.dumpWidgets()));
    QCOMPARE(trust->fingerprint(), groupedOf(certB));
    QVERIFY(alice.client()->connection()->state() != app::client::ChatConnection::State::Online);
    click(trust->findChild<QAbstractButton *>(QStringLiteral("trustButton")));
    QTRY_VERIFY_WITH_TIMEOUT(pins->pin(url).has_value(), kWaitMs);
    QVERIFY(AppDriver::waitUntil([&] { return alice.online(); }));
    bob.destroy();
}

void TestAppTls::plainServerIsNotEncrypted()
{
    ChildServer server; // ws:// (--no-tls once ternd makes its own certificate)
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    AppDriver carol;
    QVERIFY2(carol.launch(m_dir->filePath(QStringLiteral("carol"))), carol.error());
    typeAddress(carol, server.url());
    if (QTest::currentTestFailed())
        return;
    QTRY_COMPARE_WITH_TIMEOUT(carol.window()->connectWidget()->page(), ConnectWidget::Page::SignIn,
                              kWaitMs);
    QVERIFY2(labelText(carol, QStringLiteral("serverSecurityLabel"))
                 .startsWith(QStringLiteral("Not encrypted")),
             qPrintable(labelText(carol, QStringLiteral("serverSecurityLabel"))));
    QVERIFY2(carol.signUp(server.url(), QStringLiteral("carol"), QStringLiteral("Carol")),
             carol.error());
    app::ui::SettingsDialog *settings = openSettings(carol);
    QVERIFY(settings);
    QVERIFY2(labelText(carol, QStringLiteral("connectionSecurityLabel"))
                 .startsWith(QStringLiteral("Not encrypted")),
             qPrintable(labelText(carol, QStringLiteral("connectionSecurityLabel"))));
    QVERIFY(!carol.find<QWidget>(QStringLiteral("connectionFingerprintLabel")));
    settings->reject();
}

void TestAppTls::hostedServerIsPinnedWithoutAQuestion()
{
    AppDriver dave;
    QVERIFY2(dave.launch(m_dir->filePath(QStringLiteral("dave"))), dave.error());
    app::session::ServerHost *host = dave.controller->host();
    // ternd's default (TLS with the certificate it makes), on loopback, cheap hashing.
    host->setExtraArguments({QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                             QStringLiteral("--password-cost"), QStringLiteral("min")});
    ConnectWidget *connect = dave.window()->connectWidget();
    const auto noQuestion = [&] {
        auto *trust = dave.window()->findChild<app::ui::TrustServerDialog *>();
        return !trust || !trust->isVisible();
    };
    click(dave.find<QAbstractButton>(QStringLiteral("welcomeContinueButton")));
    QTRY_COMPARE_WITH_TIMEOUT(connect->page(), ConnectWidget::Page::ChooseServer, kWaitMs);
    click(dave.find<QAbstractButton>(QStringLiteral("hostButton")));
    QVERIFY2(AppDriver::waitUntil([&] { return connect->page() == ConnectWidget::Page::SignIn; },
                                  30'000),
             qPrintable(dave.dumpWidgets()));
    QVERIFY(noQuestion());
    const QUrl url = host->url();
    QCOMPARE(url.scheme(), QStringLiteral("wss"));
    const QString certFile = QDir(dave.controller->settings()->hostedServerDir())
                                 .filePath(QStringLiteral("tls/cert.pem"));
    const QSslCertificate first = load(certFile);
    QVERIFY(!first.isNull());
    app::client::TrustedServers *pins = dave.controller->trustedServers();
    QVERIFY(pins->pin(url));
    QCOMPARE(pins->pin(url)->certificate, first);
    QVERIFY2(
        labelText(dave, QStringLiteral("serverSecurityLabel")).contains(groupedOf(first).left(15)),
        qPrintable(labelText(dave, QStringLiteral("serverSecurityLabel"))));
    QVERIFY2(dave.signUp(url, QStringLiteral("dave"), QStringLiteral("Dave")), dave.error());
    QVERIFY(noQuestion());

    // The data dir gets a new certificate (its tls/ removed): our own file, re-pinned silently.
    QSignalSpy stopped(host, &app::session::ServerHost::stopped);
    host->setPort(host->listeningPort()); // the account's address stays the same
    host->stop();
    QVERIFY(stopped.wait(kWaitMs));
    QVERIFY(QDir(QFileInfo(certFile).path()).removeRecursively());
    QSignalSpy started(host, &app::session::ServerHost::started);
    host->start();
    QVERIFY(started.wait(30'000));
    const QSslCertificate second = load(certFile);
    QVERIFY(!second.isNull() && second != first);
    QCOMPARE(host->url(), url);
    QCOMPARE(pins->pin(url)->certificate, second);
    QVERIFY(AppDriver::waitUntil([&] { return dave.online(); }));
    QVERIFY(noQuestion());
    QVERIFY(!dave.window()->findChild<app::ui::CertificateChangedDialog *>());
}

void TestAppTls::lanServerIsCheckedBeforeSignIn()
{
    // A TLS ternd making its own certificate, announced (unicast on loopback) with its
    // fingerprint: picking it asks the same question as typing it, and says the announcement
    // matches but proves nothing.
    ChildServer server;
    server.setTls(ChildServer::Tls::Auto);
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const QSslCertificate certificate = load(server.certificatePath());
    QVERIFY(!certificate.isNull());
    const QByteArray digest = fingerprint::sha256(certificate.toDer());

    app::client::ServerDiscovery discovery;
    QVERIFY2(discovery.start(0, QHostAddress::LocalHost), qPrintable(discovery.errorString()));
    app::client::TrustedServers pins(m_dir->filePath(QStringLiteral("lan")));
    app::client::ServerProbe probe;
    probe.setTrustedServers(&pins);
    ConnectWidget widget(&discovery);
    widget.setServerProbe(&probe);
    widget.setTrustedServers(&pins);
    widget.resize(720, 560);
    widget.show();
    widget.showChooseServer();

    QUdpSocket sender;
    const QByteArray beacon =
        QJsonDocument(QJsonObject{{QStringLiteral("tern"), 1},
                                  {QStringLiteral("port"), server.port()},
                                  {QStringLiteral("name"), QStringLiteral("Office")},
                                  {QStringLiteral("tls"), true},
                                  {QStringLiteral("fp"), fingerprint::hex(digest)},
                                  {QStringLiteral("version"), QStringLiteral("0.1.0")}})
            .toJson(QJsonDocument::Compact);
    sender.writeDatagram(beacon, QHostAddress::LocalHost, discovery.localPort());
    auto *list = widget.findChild<QListWidget *>(QStringLiteral("serverList"));
    QTRY_COMPARE_WITH_TIMEOUT(list->count(), 1, kWaitMs);
    QVERIFY2(list->item(0)->text().contains(QStringLiteral("· encrypted")),
             qPrintable(list->item(0)->text()));
    QVERIFY2(list->item(0)->toolTip().contains(fingerprint::grouped(digest)),
             qPrintable(list->item(0)->toolTip()));

    QSignalSpy chosen(&widget, &ConnectWidget::serverChosen);
    list->setFocus();
    list->setCurrentRow(0);
    QTest::keyClick(list, Qt::Key_Return);
    app::ui::TrustServerDialog *trust = nullptr;
    QVERIFY(AppDriver::waitUntil([&] {
        trust = widget.findChild<app::ui::TrustServerDialog *>();
        return trust && trust->isVisible();
    }));
    QCOMPARE(chosen.count(), 0); // not before the certificate is trusted
    QCOMPARE(widget.page(), ConnectWidget::Page::ChooseServer);
    QCOMPARE(trust->fingerprint(), fingerprint::grouped(digest));
    QVERIFY2(trust->announcementText().contains(QStringLiteral("proves nothing")),
             qPrintable(trust->announcementText()));
    click(trust->findChild<QAbstractButton *>(QStringLiteral("trustButton")));
    QTRY_COMPARE_WITH_TIMEOUT(widget.page(), ConnectWidget::Page::SignIn, kWaitMs);
    QCOMPARE(chosen.count(), 1);
    QCOMPARE(chosen.first().first().toUrl().scheme(), QStringLiteral("wss"));
    QVERIFY(pins.pin(chosen.first().first().toUrl()));
}

QTEST_MAIN(TestAppTls)
#include "tst_apptls.moc"
