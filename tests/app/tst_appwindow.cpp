// The main window as a user sees it (issue 16, items 8 and 9), with the whole app (AppController)
// against a real ternd child process under QT_QPA_PLATFORM=offscreen:
// - nothing clips at 1.0×, 1.25× and 1.5× the default font, at 700 px and at a normal width,
//   with a group chat open, its info panel with every member row, and the offline state shown;
//   panels never resize the window;
// - a file no app can open says so in the window (name, where it is, "Open folder");
// - without a system tray (offscreen has none) a message in another chat shows in the window.

#include "app/client/ChatClient.h"
#include "app/client/GroupRequests.h"
#include "app/client/MediaTransfers.h"
#include "app/client/Outbox.h"
#include "app/models/ConversationListModel.h"
#include "app/models/MemberListModel.h"
#include "app/models/MessageListModel.h"
#include "app/session/AccountSession.h"
#include "app/session/AppSettings.h"
#include "app/ui/AppController.h"
#include "app/ui/CertificateChangedDialog.h"
#include "app/ui/ChatPane.h"
#include "app/ui/Composer.h"
#include "app/ui/ConversationPane.h"
#include "app/ui/GroupInfoPanel.h"
#include "app/ui/MainWindow.h"
#include "app/ui/NotificationToast.h"
#include "app/ui/TrayNotifier.h"
#include "app/ui/TrustServerDialog.h"
#include "shared/crypto/Crypto.h"
#include "shared/model/CertificateFingerprint.h"
#include "tests/app/AppTestAccount.h"
#include "tests/support/AppDriver.h"
#include "tests/support/ChildServer.h"
#include "tests/support/TestCertificate.h"
#include "tests/support/TestUtil.h"

#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSystemTrayIcon>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QToolButton>
#include <QTranslator>

#include <qcoro/qcorotask.h>

#include <memory>

using namespace tern;
using namespace tern::app;
using tern::test::spinUntil;

namespace {

//! Lets posted layout requests run up the widget tree (a few rounds, bounded; no sleeping).
void settle()
{
    for (int i = 0; i < 8; ++i) {
        QCoreApplication::processEvents();
        QCoreApplication::sendPostedEvents();
    }
    // Last, only the posted layout requests: no timer or socket may change a text between the
    // layout and the checks that follow (the offline banner counts down every second).
    for (int i = 0; i < 8; ++i)
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
}

QString describe(const QWidget *w)
{
    QString text;
    if (auto *button = qobject_cast<const QAbstractButton *>(w))
        text = button->text();
    else if (auto *label = qobject_cast<const QLabel *>(w))
        text = label->text();
    return QStringLiteral("%1 '%2' \"%3\"")
        .arg(QString::fromLatin1(w->metaObject()->className()), w->objectName(), text);
}

//! Every visible button and label shows its whole text (or elides it on purpose, with the whole
//! text in its tooltip), and no visible widget sticks out of its parent.
QStringList clipped(QWidget *window)
{
    QStringList problems;
    const QList<QWidget *> widgets = window->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        if (w->isWindow() || !w->isVisible())
            continue;
        QWidget *parent = w->parentWidget();
        auto *area = qobject_cast<QAbstractScrollArea *>(parent ? parent->parentWidget() : nullptr);
        const bool scrolled = area && area->viewport() == parent; // content may scroll
        if (!scrolled && !parent->rect().contains(w->geometry()))
            problems << describe(w) + QStringLiteral(" outside its parent: %1 in %2x%3")
                                          .arg(QVariant(w->geometry()).toString())
                                          .arg(parent->width())
                                          .arg(parent->height());
        const QSize min = w->minimumSizeHint();
        if (qobject_cast<QAbstractButton *>(w) &&
            (w->width() < min.width() || w->height() < min.height()))
            problems << describe(w) + QStringLiteral(" squeezed to %1x%2, needs %3x%4")
                                          .arg(w->width())
                                          .arg(w->height())
                                          .arg(min.width())
                                          .arg(min.height());
        if (auto *label = qobject_cast<QLabel *>(w); label && !label->text().isEmpty()) {
            const QMargins m = label->contentsMargins();
            const int textWidth = label->fontMetrics().horizontalAdvance(label->text());
            const bool elides = min.width() < textWidth + m.left() + m.right();
            if (label->wordWrap()) {
                if (label->height() < label->heightForWidth(label->width()))
                    problems << describe(w) + QStringLiteral(" cut: %1 high, needs %2")
                                                  .arg(label->height())
                                                  .arg(label->heightForWidth(label->width()));
            } else if (elides) {
                // An elided label keeps the whole text where a user can read it.
                // (ElidedLabel's tip is the text escaped: plain text, never markup.)
                if (label->width() < textWidth + m.left() + m.right() &&
                    label->toolTip() != label->text() &&
                    label->toolTip() != Qt::convertFromPlainText(label->text()))
                    problems << describe(w) + QStringLiteral(" elided without a tooltip");
            } else if (label->width() < textWidth + m.left() + m.right() ||
                       label->height() < min.height()) {
                problems << describe(w) + QStringLiteral(" squeezed to %1x%2, needs %3")
                                              .arg(label->width())
                                              .arg(label->height())
                                              .arg(textWidth);
            }
        }
    }
    return problems;
}

//! Member rows (own included) fit the list's width.
QStringList clippedRows(QListView *view)
{
    QStringList problems;
    QStyleOptionViewItem option;
    option.initFrom(view->viewport());
    option.font = view->font();
    option.fontMetrics = view->fontMetrics();
    for (int row = 0; view->model() && row < view->model()->rowCount(); ++row) {
        const QModelIndex index = view->model()->index(row, 0);
        option.rect = view->visualRect(index);
        const QSize hint = view->itemDelegateForIndex(index)->sizeHint(option, index);
        if (hint.width() > view->viewport()->width())
            problems << QStringLiteral("member row %1 (%2) needs %3 px, has %4")
                            .arg(row)
                            .arg(index.data(models::MemberListModel::DisplayNameRole).toString())
                            .arg(hint.width())
                            .arg(view->viewport()->width());
    }
    return problems;
}

} // namespace

class TestAppWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void nothingClipsAndPanelsKeepTheWindowSize_data();
    void nothingClipsAndPanelsKeepTheWindowSize();
    void fileNoAppOpensSaysWhereItIs();
    void withoutTrayMessagesShowInTheWindow();
    void withoutTrayClosingAsksThenMinimises();
    void trustDialogsDoNotClip_data();
    void trustDialogsDoNotClip();

private:
    //! Alice's app signed in, Bob a bare client, and a group of the two open in Alice's window.
    QString openGroup();
    //! Opens and closes the group info panel at `width`; checks sizes and clipping on the way.
    void checkAtWidth(int width, const QString &state, bool openInfo);
    void useLanguage(const QString &language);

    std::unique_ptr<test::ChildServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    test::AppDriver m_a;
    test::AppTestAccount m_bob;
    QFont m_defaultFont;
    int m_round = 0;
};

void TestAppWindow::initTestCase()
{
    qputenv("TERN_NO_KEYCHAIN", "1");
    QVERIFY(crypto::initialize());
    useLanguage(QStringLiteral("en"));
    m_defaultFont = QApplication::font();
}

void TestAppWindow::useLanguage(const QString &language)
{
    // Translators stack, the newest asked first: drop the ones installed before.
    for (QTranslator *old : qApp->findChildren<QTranslator *>()) {
        QCoreApplication::removeTranslator(old);
        delete old;
    }
    ui::AppController::installTranslations(language);
}

void TestAppWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<test::ChildServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    ++m_round;
}

void TestAppWindow::cleanup()
{
    m_a.close();
    m_bob.destroy();
    m_server.reset();
    m_dir.reset();
    QApplication::setFont(m_defaultFont);
}

QString TestAppWindow::openGroup()
{
    const QString alice = QStringLiteral("alice%1").arg(m_round);
    if (!m_a.launch(m_dir->filePath(QStringLiteral("profile-a"))) ||
        !m_a.signUp(m_server->url(), alice, alice.toUpper()))
        return QString();
    if (!m_bob.login(m_dir->path(), m_server->url(), QStringLiteral("bob%1").arg(m_round)))
        return QString();
    const auto created = QCoro::waitFor(
        m_a.client()->groups()->createGroup(QStringLiteral("Lunch crew"), {m_bob.userId}));
    if (!created)
        return QString();
    m_bob.client->outbox()->sendText(*created, QStringLiteral("Pizza at noon?"));
    m_a.window()->openWhenListed(*created);
    if (!spinUntil([&] { return m_a.chat()->currentConversation() == *created; }, 10'000))
        return QString();
    return *created;
}

void TestAppWindow::checkAtWidth(int width, const QString &state, bool openInfo)
{
    ui::MainWindow *window = m_a.window();
    window->resize(width, 640);
    settle();
    const QSize size = window->size();
    QCOMPARE(size.width(), width);
    QStringList problems = clipped(window);
    QVERIFY2(problems.isEmpty(), qPrintable(state + QStringLiteral(": ") + problems.join('\n')));
    if (!openInfo)
        return;

    auto *info = window->findChild<QToolButton *>(QStringLiteral("chatInfoButton"));
    QVERIFY(info && info->isVisible());
    QTest::mouseClick(info, Qt::LeftButton);
    ui::GroupInfoPanel *panel = m_a.chat()->infoPanel();
    QVERIFY(panel);
    QVERIFY(
        spinUntil([&] { return panel->isVisible() && panel->members()->rowCount() == 2; }, 10'000));
    // Alice's own row selected: the owner's buttons show ("Add members", "Make admin").
    auto *members = panel->findChild<QListView *>(QStringLiteral("memberList"));
    for (int row = 0; row < members->model()->rowCount(); ++row) {
        const QModelIndex index = members->model()->index(row, 0);
        if (index.data(models::MemberListModel::IsMeRole).toBool())
            members->setCurrentIndex(index);
    }
    settle();
    QCOMPARE(window->size(), size); // the panel does not grow the window
    problems = clipped(window) + clippedRows(members);
    QVERIFY2(problems.isEmpty(),
             qPrintable(state + QStringLiteral(", info open: ") + problems.join('\n')));

    auto *close = panel->findChild<QToolButton *>(QStringLiteral("closePanelButton"));
    QTest::mouseClick(close, Qt::LeftButton);
    settle();
    QVERIFY(!panel->isVisible());
    // Where the panel took the chat's place, the chat is back.
    QVERIFY(m_a.chat()->messageView()->isVisible() && m_a.chat()->composer()->isVisible());
    QCOMPARE(window->size(), size);
    problems = clipped(window);
    QVERIFY2(problems.isEmpty(),
             qPrintable(state + QStringLiteral(", info closed: ") + problems.join('\n')));
}

void TestAppWindow::nothingClipsAndPanelsKeepTheWindowSize_data()
{
    QTest::addColumn<double>("scale");
    QTest::addColumn<QString>("language");
    QTest::addColumn<bool>("openInfo");
    QTest::newRow("1.0x") << 1.0 << "en" << true;
    QTest::newRow("1.25x") << 1.25 << "en" << true;
    QTest::newRow("1.5x") << 1.5 << "en" << true;
    // German labels run longer ("Mitglieder hinzufügen", "Admin machen").
    QTest::newRow("de 1.0x") << 1.0 << "de" << true;
    QTest::newRow("de 1.25x") << 1.25 << "de" << true;
    // Both panes need more than 700 px here: the window must still become 700 px wide, one
    // pane at a time, and the info panel takes the chat's place.
    QTest::newRow("de 1.5x") << 1.5 << "de" << true;
}

void TestAppWindow::nothingClipsAndPanelsKeepTheWindowSize()
{
    QFETCH(double, scale);
    QFETCH(QString, language);
    QFETCH(bool, openInfo);
    useLanguage(language);
    const auto backToEnglish = qScopeGuard([this] { useLanguage(QStringLiteral("en")); });
    // The system font is what the app starts with: set it before the window exists.
    QFont font = m_defaultFont;
    font.setPointSizeF(m_defaultFont.pointSizeF() * scale);
    QApplication::setFont(font);

    const QString group = openGroup();
    QVERIFY(!group.isEmpty());
    for (int width : {1000, 700}) {
        checkAtWidth(width, QStringLiteral("online, %1 px").arg(width), openInfo);
        if (QTest::currentTestFailed())
            return;
    }

    // Offline: the list says so next to "New chat"/"New group", the banner under the header.
    m_server->kill();
    QVERIFY(spinUntil(
        [&] {
            return m_a.client()->connection()->state() != client::ChatConnection::State::Online &&
                   !m_a.window()->conversationPane()->statusText().isEmpty();
        },
        10'000));
    QVERIFY(spinUntil(
        [&] {
            return m_a.client()->connection()->state() == client::ChatConnection::State::Offline;
        },
        15'000));
    for (int width : {1000, 700}) {
        checkAtWidth(width, QStringLiteral("offline, %1 px").arg(width), openInfo);
        if (QTest::currentTestFailed())
            return;
    }
}

void TestAppWindow::trustDialogsDoNotClip_data()
{
    nothingClipsAndPanelsKeepTheWindowSize_data();
}

void TestAppWindow::trustDialogsDoNotClip()
{
    // The TLS dialogs with everything they can show: the announcement, a pasted fingerprint's
    // verdict, the hex forms, the replace step.
    QFETCH(double, scale);
    QFETCH(QString, language);
    useLanguage(language);
    const auto backToEnglish = qScopeGuard([this] { useLanguage(QStringLiteral("en")); });
    QFont font = m_defaultFont;
    font.setPointSizeF(m_defaultFont.pointSizeF() * scale);
    QApplication::setFont(font);
    test::TestCertificate one, two;
    QVERIFY2(one.ok() && two.ok(), qPrintable(one.error + two.error));
    const QSslCertificate a = one.certificate(), b = two.certificate();
    const QByteArray digestB = fingerprint::sha256(b.toDer());
    const QUrl at(QStringLiteral("wss://192.168.100.200:7070/ws"));

    ui::TrustServerDialog trust(at, a);
    trust.setAnnouncement(QStringLiteral("Office server on the second floor"), digestB);
    trust.findChild<QLineEdit *>(QStringLiteral("expectedFingerprintEdit"))
        ->setText(fingerprint::grouped(digestB));
    trust.findChild<QPushButton *>(QStringLiteral("fingerprintDetailsButton"))->click();
    trust.show();
    settle();
    QStringList problems = clipped(&trust);
    QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("trust: ") + problems.join('\n')));

    ui::CertificateChangedDialog changed(at, a, QDateTime::currentDateTime(), b);
    changed.show();
    changed.showReplace();
    changed.findChild<QLineEdit *>(QStringLiteral("newFingerprintCheckEdit"))
        ->setText(fingerprint::grouped(digestB));
    for (const char *details : {"oldFingerprintDetailsButton", "newFingerprintDetailsButton"})
        changed.findChild<QPushButton *>(QLatin1String(details))->click();
    settle();
    problems = clipped(&changed);
    QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("changed: ") + problems.join('\n')));
}

void TestAppWindow::fileNoAppOpensSaysWhereItIs()
{
    // A desktop that knows no app for the type: empty XDG data/config, no browser fallback.
    // Without xdg-open (this offscreen platform) QDesktopServices fails the same way.
    const QString empty = m_dir->filePath(QStringLiteral("xdg-empty"));
    QVERIFY(QDir().mkpath(empty));
    for (const char *name :
         {"XDG_DATA_HOME", "XDG_DATA_DIRS", "XDG_CONFIG_HOME", "XDG_CONFIG_DIRS"})
        qputenv(name, empty.toLocal8Bit());
    qputenv("BROWSER", "false");
    qunsetenv("XDG_CURRENT_DESKTOP");
    qunsetenv("DISPLAY");
    qunsetenv("WAYLAND_DISPLAY");

    const QString group = openGroup();
    QVERIFY(!group.isEmpty());
    const QString sent = m_dir->filePath(QStringLiteral("budget.ternx"));
    {
        QFile file(sent);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write("figures\n") > 0);
    }
    m_bob.client->media()->sendFile(group, sent);
    models::MessageListModel *model = m_a.chat()->messageView()->messageModel();
    QModelIndex row;
    QVERIFY(spinUntil(
        [&] {
            const int n = model->rowCount();
            row = n ? model->index(n - 1) : QModelIndex();
            return row.isValid() && !row.data(models::MessageListModel::MediaRole)
                                         .toJsonObject()
                                         .value(QStringLiteral("media_id"))
                                         .toString()
                                         .isEmpty();
        },
        20'000));

    QSignalSpy failed(m_a.chat(), &ui::ChatPane::openFailed);
    m_a.chat()->openMedia(row); // what a click on the file does
    QVERIFY(failed.wait(20'000));
    const QString saved = failed.first().at(0).toString();
    QVERIFY(QFileInfo(saved).isFile());

    auto *box = m_a.window()->findChild<QMessageBox *>(QStringLiteral("openFailedMessage"));
    QVERIFY(box);
    QVERIFY(spinUntil([&] { return box->isVisible(); }, 5'000));
    QVERIFY2(box->text().contains(QStringLiteral("budget.ternx")), qPrintable(box->text()));
    QVERIFY2(
        box->informativeText().contains(QDir::toNativeSeparators(QFileInfo(saved).absolutePath())),
        qPrintable(box->informativeText()));
    auto *openFolder = box->findChild<QPushButton *>(QStringLiteral("openFolderButton"));
    QVERIFY(openFolder && openFolder->isVisible());
}

void TestAppWindow::withoutTrayMessagesShowInTheWindow()
{
    QVERIFY(!QSystemTrayIcon::isSystemTrayAvailable()); // offscreen: no tray
    const QString group = openGroup();
    QVERIFY(!group.isEmpty());
    ui::NotificationToast *toast = m_a.window()->notificationToast();
    QVERIFY(toast);

    // Bob writes in another chat (a new direct one) while Alice reads the group.
    m_bob.client->outbox()->sendText(m_a.client()->connection()->userId(),
                                     QStringLiteral("Are you there?"));
    QVERIFY(spinUntil(
        [&] { return toast->isVisible() && toast->text() == QStringLiteral("Are you there?"); },
        10'000));
    const QString direct = toast->conversation();
    QVERIFY(!direct.isEmpty() && direct != group);
    QVERIFY(m_a.window()->rect().contains(toast->geometry()));
    QVERIFY(clipped(m_a.window()).isEmpty());

    // A click opens that chat and the notification goes.
    QTest::mouseClick(toast, Qt::LeftButton, {}, QPoint(4, 4));
    QVERIFY(spinUntil([&] { return m_a.chat()->currentConversation() == direct; }, 10'000));
    QVERIFY(!toast->isVisible());

    // Nothing for the chat Alice is reading in her active window.
    QSignalSpy notified(m_a.controller->tray(), &ui::TrayNotifier::notified);
    m_bob.client->outbox()->sendText(direct, QStringLiteral("Hello?"));
    models::MessageListModel *model = m_a.chat()->messageView()->messageModel();
    QVERIFY(spinUntil(
        [&] {
            const int n = model->rowCount();
            return n && model->index(n - 1).data(models::MessageListModel::TextRole).toString() ==
                            QStringLiteral("Hello?");
        },
        10'000));
    QVERIFY(notified.isEmpty());
    QVERIFY(!toast->isVisible());
}

void TestAppWindow::withoutTrayClosingAsksThenMinimises()
{
    QVERIFY(!openGroup().isEmpty());
    ui::MainWindow *window = m_a.window();
    QSignalSpy quit(window, &ui::MainWindow::quitRequested);
    QVERIFY(!window->close()); // not closed: asked first
    auto *box = window->findChild<QMessageBox *>(QStringLiteral("keepRunningQuestion"));
    QVERIFY(box);
    QVERIFY(spinUntil([&] { return box->isVisible(); }, 5'000));
    auto *keep = box->findChild<QPushButton *>(QStringLiteral("keepRunningButton"));
    QVERIFY(keep && box->findChild<QPushButton *>(QStringLiteral("quitButton")));
    QVERIFY(box->findChild<QCheckBox *>(QStringLiteral("rememberCloseChoice"))->isChecked());
    keep->click();
    QVERIFY(spinUntil([&] { return window->isMinimized(); }, 5'000));
    QVERIFY(quit.isEmpty());
    QVERIFY(m_a.controller->settings()->closeAsked());

    // Next time it just minimises; the app keeps running (and notifying).
    window->showNormal();
    QVERIFY(spinUntil([&] { return !window->isMinimized(); }, 5'000));
    QVERIFY(!window->close());
    QVERIFY(spinUntil([&] { return window->isMinimized(); }, 5'000));
    auto *again = window->findChild<QMessageBox *>(QStringLiteral("keepRunningQuestion"));
    QVERIFY(!again || !again->isVisible());
    QVERIFY(quit.isEmpty());
    QVERIFY(m_a.session());
}

QTEST_MAIN(TestAppWindow)
#include "tst_appwindow.moc"
