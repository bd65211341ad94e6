// The TLS trust dialogs as widgets (offscreen, real certificates made by openssl):
// - TrustServerDialog shows the certificate's name, the address and the grouped fingerprint
//   `fingerprint::grouped` gives; Cancel is the default (Enter and Esc do not trust); a pasted
//   fingerprint that matches says so in words, one that does not disables "Trust and connect";
//   a LAN announcement with the same fingerprint is said to prove nothing;
// - CertificateChangedDialog has no way on but "Replace the pinned certificate…", whose Replace
//   enables only for the NEW fingerprint (the old one, or garbage, never);
// - FingerprintView copies the grouped form.

#include "app/ui/CertificateChangedDialog.h"
#include "app/ui/FingerprintCheck.h"
#include "app/ui/FingerprintView.h"
#include "app/ui/TrustServerDialog.h"
#include "shared/model/CertificateFingerprint.h"
#include "tests/support/TestCertificate.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSslCertificate>
#include <QTest>

#include <memory>

using namespace tern;
using tern::app::ui::CertificateChangedDialog;
using tern::app::ui::FingerprintCheck;
using tern::app::ui::TrustServerDialog;

namespace {

QSslCertificate load(const QString &path)
{
    return test::readCertificate(path);
}

//! Saves `widget` to $TERN_TEST_OUTDIR (for a look at the layout).
void shoot(QWidget *widget, const QString &name)
{
    // A label that has just appeared leaves a layout request (and the dialog's growth to fit it)
    // pending: without these the picture showed the first paragraph squeezed and cut, as the
    // dialog never stays.
    for (int i = 0; i < 8; ++i)
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    const QString dir = qEnvironmentVariable("TERN_TEST_OUTDIR", QDir::tempPath());
    QDir().mkpath(dir);
    widget->grab().save(QDir(dir).filePath(name));
}

QByteArray digestOf(const QSslCertificate &certificate)
{
    return fingerprint::sha256(certificate.toDer());
}

//! Every visible push button in `dialog` whose role would go on to the server.
QStringList visibleButtons(QWidget *dialog)
{
    QStringList names;
    for (auto *button : dialog->findChildren<QPushButton *>()) {
        if (button->isVisible())
            names << button->objectName();
    }
    names.sort();
    return names;
}

} // namespace

class TestTrustDialogs : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void trustShowsFingerprintAndDefaultsToCancel();
    void trustEnterAndEscapeDoNotTrust();
    void trustPastedFingerprint();
    void trustAnnouncement();
    void changedHasNoContinue();
    void changedReplaceNeedsTheNewFingerprint();
    void copyGivesTheGroupedForm();

private:
    std::unique_ptr<test::TestCertificate> m_a;
    std::unique_ptr<test::TestCertificate> m_b;
    QSslCertificate m_certA;
    QSslCertificate m_certB;
    const QUrl m_url{QStringLiteral("wss://127.0.0.1:7070/ws")};
};

void TestTrustDialogs::initTestCase()
{
    m_a = std::make_unique<test::TestCertificate>();
    m_b = std::make_unique<test::TestCertificate>();
    QVERIFY2(m_a->ok() && m_b->ok(), qPrintable(m_a->error + m_b->error));
    m_certA = load(m_a->certFile);
    m_certB = load(m_b->certFile);
    QVERIFY(!m_certA.isNull() && !m_certB.isNull());
    QVERIFY(digestOf(m_certA) != digestOf(m_certB));
}

void TestTrustDialogs::trustShowsFingerprintAndDefaultsToCancel()
{
    TrustServerDialog dialog(m_url, m_certA);
    dialog.show();
    QCOMPARE(dialog.fingerprint(), fingerprint::grouped(digestOf(m_certA)));
    QCOMPARE(dialog.serverName(), QStringLiteral("localhost")); // the certificate's CN
    auto *address = dialog.findChild<QLabel *>(QStringLiteral("serverAddressLabel"));
    QVERIFY(address);
    QCOMPARE(address->text(), QStringLiteral("127.0.0.1:7070"));
    QCOMPARE(address->textFormat(), Qt::PlainText);
    auto *shown = dialog.findChild<QLabel *>(QStringLiteral("fingerprintLabel"));
    QVERIFY(shown && shown->isVisible());
    QCOMPARE(shown->textFormat(), Qt::PlainText);
    QVERIFY(shown->textInteractionFlags() & Qt::TextSelectableByMouse);
    QCOMPARE(QString(shown->text()).remove(QLatin1Char('\n')),
             fingerprint::grouped(digestOf(m_certA)));
    QVERIFY(shown->font().fixedPitch() || QFontInfo(shown->font()).fixedPitch());
    auto *cancel = dialog.findChild<QPushButton *>(QStringLiteral("cancelButton"));
    auto *trust = dialog.findChild<QPushButton *>(QStringLiteral("trustButton"));
    QVERIFY(cancel && trust);
    QVERIFY(cancel->isDefault());
    QVERIFY(!trust->isDefault());
    QVERIFY(trust->isEnabled());
    QVERIFY(!trust->accessibleName().isEmpty() && !cancel->accessibleName().isEmpty());
    // The hex form behind Details.
    auto *hex = dialog.findChild<QLabel *>(QStringLiteral("fingerprintHex"));
    QVERIFY(hex && !hex->isVisible());
    QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("fingerprintDetailsButton")),
                      Qt::LeftButton);
    QVERIFY(hex->isVisible());
    QCOMPARE(QString(hex->text()).remove(QLatin1Char('\n')), fingerprint::hex(digestOf(m_certA)));
}

void TestTrustDialogs::trustEnterAndEscapeDoNotTrust()
{
    for (const Qt::Key key : {Qt::Key_Return, Qt::Key_Enter, Qt::Key_Escape}) {
        TrustServerDialog dialog(m_url, m_certA);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        // Also from the paste field, where the user's hands are.
        auto *edit = dialog.findChild<QLineEdit *>(QStringLiteral("expectedFingerprintEdit"));
        QVERIFY(edit);
        edit->setFocus();
        QTest::keyClick(edit, key);
        QTRY_VERIFY(!dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
    }
}

void TestTrustDialogs::trustPastedFingerprint()
{
    TrustServerDialog dialog(m_url, m_certA);
    dialog.show();
    auto *trust = dialog.findChild<QPushButton *>(QStringLiteral("trustButton"));
    auto *edit = dialog.findChild<QLineEdit *>(QStringLiteral("expectedFingerprintEdit"));
    auto *result = dialog.findChild<QLabel *>(QStringLiteral("expectedFingerprintResult"));
    QVERIFY(trust && edit && result);
    QVERIFY(!result->isVisible());

    // Another server's fingerprint: said, and Trust is off.
    edit->setText(fingerprint::grouped(digestOf(m_certB)));
    QCOMPARE(dialog.check()->state(), FingerprintCheck::State::DoesNotMatch);
    QVERIFY(!trust->isEnabled());
    QVERIFY(result->isVisible());
    QVERIFY2(result->text().contains(QStringLiteral("Does not match")), qPrintable(result->text()));

    // Half of one: not judged yet.
    edit->setText(fingerprint::grouped(digestOf(m_certA)).left(20));
    QCOMPARE(dialog.check()->state(), FingerprintCheck::State::Incomplete);
    QVERIFY(trust->isEnabled());

    // The right one, in OpenSSL's lower-case hex as an admin might paste it: said in words.
    edit->setText(fingerprint::hex(digestOf(m_certA)).toLower());
    QCOMPARE(dialog.check()->state(), FingerprintCheck::State::Matches);
    QVERIFY(trust->isEnabled());
    QVERIFY2(result->text().contains(QStringLiteral("Matches")), qPrintable(result->text()));
    shoot(&dialog, QStringLiteral("trust-server-dialog.png"));
    QCOMPARE(result->accessibleName(), result->text());

    QTest::mouseClick(trust, Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void TestTrustDialogs::trustAnnouncement()
{
    TrustServerDialog plain(m_url, m_certA);
    QVERIFY(plain.announcementText().isEmpty());

    TrustServerDialog same(m_url, m_certA);
    same.show();
    same.setAnnouncement(QStringLiteral("<b>Office</b>"), digestOf(m_certA));
    QVERIFY2(same.announcementText().contains(QStringLiteral("proves nothing")),
             qPrintable(same.announcementText()));
    // The announced name is plain text, never markup.
    auto *name = same.findChild<QLabel *>(QStringLiteral("serverNameLabel"));
    QCOMPARE(name->textFormat(), Qt::PlainText);
    QVERIFY(name->text().contains(QStringLiteral("<b>Office</b>")));

    TrustServerDialog other(m_url, m_certA);
    other.show();
    other.setAnnouncement(QStringLiteral("Office"), digestOf(m_certB));
    QVERIFY2(other.announcementText().contains(QStringLiteral("NOT match")),
             qPrintable(other.announcementText()));
}

void TestTrustDialogs::changedHasNoContinue()
{
    const QDateTime since(QDate(2026, 3, 14), QTime(9, 0));
    CertificateChangedDialog dialog(m_url, m_certA, since, m_certB);
    dialog.show();
    QCOMPARE(dialog.oldFingerprint(), fingerprint::grouped(digestOf(m_certA)));
    QCOMPARE(dialog.newFingerprint(), fingerprint::grouped(digestOf(m_certB)));
    QVERIFY(dialog.isModal());
    // Only "Replace the pinned certificate…" and "Close": nothing that goes on as it is.
    QCOMPARE(visibleButtons(&dialog),
             (QStringList{QStringLiteral("closeButton"), QStringLiteral("newFingerprintCopyButton"),
                          QStringLiteral("newFingerprintDetailsButton"),
                          QStringLiteral("oldFingerprintCopyButton"),
                          QStringLiteral("oldFingerprintDetailsButton"),
                          QStringLiteral("replacePinButton")}));
    auto *close = dialog.findChild<QPushButton *>(QStringLiteral("closeButton"));
    QVERIFY(close->isDefault());
    auto *title = dialog.findChild<QLabel *>(QStringLiteral("identityChangedTitle"));
    QCOMPARE(title->text(), QStringLiteral("This server's identity has changed"));
    bool saysDate = false;
    for (auto *label : dialog.findChildren<QLabel *>())
        saysDate = saysDate ||
                   label->text().contains(QLocale().toString(since.date(), QLocale::LongFormat));
    QVERIFY(saysDate);
    QTest::keyClick(&dialog, Qt::Key_Return);
    QTRY_VERIFY(!dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
}

void TestTrustDialogs::changedReplaceNeedsTheNewFingerprint()
{
    CertificateChangedDialog dialog(m_url, m_certA, QDateTime::currentDateTime(), m_certB);
    dialog.show();
    auto *start = dialog.findChild<QPushButton *>(QStringLiteral("replacePinButton"));
    auto *replace = dialog.findChild<QPushButton *>(QStringLiteral("replaceButton"));
    auto *edit = dialog.findChild<QLineEdit *>(QStringLiteral("newFingerprintCheckEdit"));
    QVERIFY(start && replace && edit);
    QVERIFY(!replace->isVisible());
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(replace->isVisible() && edit->isVisible());
    QVERIFY(!replace->isEnabled());
    // The old fingerprint (what one has at hand) does not do.
    edit->setText(fingerprint::grouped(digestOf(m_certA)));
    QVERIFY(!replace->isEnabled());
    edit->setText(QStringLiteral("yes"));
    QVERIFY(!replace->isEnabled());
    QTest::mouseClick(replace, Qt::LeftButton);
    QVERIFY(dialog.isVisible());
    // Typed by hand, with a misread 0 for O: the check characters still find it.
    edit->clear();
    QTest::keyClicks(edit, fingerprint::grouped(digestOf(m_certB)).toLower());
    QVERIFY(replace->isEnabled());
    shoot(&dialog, QStringLiteral("certificate-changed-dialog.png"));
    QTest::mouseClick(replace, Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void TestTrustDialogs::copyGivesTheGroupedForm()
{
    TrustServerDialog dialog(m_url, m_certA);
    dialog.show();
    QApplication::clipboard()->clear();
    QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("fingerprintCopyButton")),
                      Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), fingerprint::grouped(digestOf(m_certA)));
}

QTEST_MAIN(TestTrustDialogs)
#include "tst_trustdialogs.moc"
