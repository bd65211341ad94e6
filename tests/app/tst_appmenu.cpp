// The app's icons and its "≡" menu (issue 16, "A look of its own"), with the whole app
// (AppController) against a real ternd child process under QT_QPA_PLATFORM=offscreen:
// - every icon button (list header, chat header, composer, find bar, group info, notification)
//   shows a Lucide icon from the bundled resources, with a tooltip and an accessible name, and
//   every bundled SVG is in the resources;
// - the icons follow the palette: the text colour, the disabled one, and again after a switch
//   to a dark palette; crisp at a device pixel ratio of 2;
// - the menu holds Settings…, Profile…, Hosted server…, About Tern and Quit, and each does what
//   it says.

#include "app/client/ChatClient.h"
#include "app/client/GroupRequests.h"
#include "app/session/AccountSession.h"
#include "app/ui/AboutDialog.h"
#include "app/ui/AppController.h"
#include "app/ui/ChatPane.h"
#include "app/ui/Composer.h"
#include "app/ui/ConversationPane.h"
#include "app/ui/GroupInfoPanel.h"
#include "app/ui/MainWindow.h"
#include "app/ui/SettingsDialog.h"
#include "shared/crypto/Crypto.h"
#include "tests/app/AppInstance.h"
#include "tests/app/AppTestAccount.h"
#include "tests/support/ChildServer.h"
#include "tests/support/TestUtil.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QSet>
#include <QSignalSpy>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <qcoro/qcorotask.h>

#include <memory>

using namespace tern;
using namespace tern::app;
using tern::test::spinUntil;

namespace {

const QString kLucide = QStringLiteral(":/tern/icons/lucide/");

//! The colour of the icon's fully opaque pixels (invalid when it has none: nothing drawn).
QColor inkOf(const QPixmap &pixmap)
{
    const QImage image = pixmap.toImage().convertToFormat(QImage::Format_ARGB32);
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (qAlpha(image.pixel(x, y)) == 255)
                return QColor::fromRgb(image.pixel(x, y));
    return {};
}

QString describe(const QToolButton *button)
{
    return QStringLiteral("%1 '%2'").arg(QString::fromLatin1(button->metaObject()->className()),
                                         button->objectName());
}

//! The tool buttons the app made (not Qt's own clear buttons inside line edits).
QList<QToolButton *> appToolButtons(QWidget *window)
{
    QList<QToolButton *> buttons;
    for (QToolButton *button : window->findChildren<QToolButton *>()) {
        // (Qt's own: the clear buttons in line edits, a tab bar's scroll arrows.)
        if (qstrcmp(button->metaObject()->className(), "QToolButton") == 0 &&
            !qobject_cast<QTabBar *>(button->parentWidget()))
            buttons << button;
    }
    return buttons;
}

QPalette darkPalette()
{
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x20, 0x22, 0x25));
    dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
    dark.setColor(QPalette::Base, QColor(0x18, 0x19, 0x1b));
    dark.setColor(QPalette::Text, QColor(0xec, 0xec, 0xec));
    dark.setColor(QPalette::Button, QColor(0x30, 0x32, 0x36));
    dark.setColor(QPalette::ButtonText, QColor(0xf0, 0xf0, 0xf0));
    dark.setColor(QPalette::Highlight, QColor(0x1d, 0x8a, 0x80));
    dark.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x70, 0x70, 0x70));
    dark.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6a, 0x6a, 0x6a));
    dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x70, 0x70, 0x70));
    return dark;
}

} // namespace

class TestAppMenu : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void everyIconButtonHasABundledIconANameAndATooltip();
    void iconsFollowThePalette();
    void menuHasItsFiveActionsAndEachWorks();

private:
    //! Alice's app signed in, Bob a bare client, a group of the two open in Alice's window.
    void openGroup();

    std::unique_ptr<test::ChildServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    test::AppInstance m_a;
    test::AppTestAccount m_bob;
    QPalette m_defaultPalette;
    int m_round = 0;
};

void TestAppMenu::initTestCase()
{
    qputenv("TERN_NO_KEYCHAIN", "1");
    QVERIFY(crypto::initialize());
    ui::AppController::installTranslations(QStringLiteral("en"));
    m_defaultPalette = QApplication::palette();
}

void TestAppMenu::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<test::ChildServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    ++m_round;
}

void TestAppMenu::cleanup()
{
    QApplication::setPalette(m_defaultPalette);
    m_a.close();
    m_bob.destroy();
    m_server.reset();
    m_dir.reset();
}

void TestAppMenu::openGroup()
{
    m_a.launch(m_dir->filePath(QStringLiteral("profile-a")));
    QVERIFY(test::signIn(m_a, m_server->url(), QStringLiteral("alice%1").arg(m_round),
                         QStringLiteral("Alice")));
    QVERIFY(m_bob.login(m_dir->path(), m_server->url(), QStringLiteral("bob%1").arg(m_round)));
    const auto created = QCoro::waitFor(
        m_a.client()->groups()->createGroup(QStringLiteral("Lunch crew"), {m_bob.userId}));
    QVERIFY(created);
    m_a.window()->openWhenListed(*created);
    QVERIFY(spinUntil([&] { return m_a.chat()->currentConversation() == *created; }, 10'000));
}

void TestAppMenu::everyIconButtonHasABundledIconANameAndATooltip()
{
    // Every SVG shipped in resources/icons/lucide is bundled, with the licence beside them.
    const QDir shipped(QStringLiteral(TERN_SOURCE_DIR "/resources/icons/lucide"));
    const QStringList svgs = shipped.entryList({QStringLiteral("*.svg")}, QDir::Files);
    QVERIFY(svgs.size() >= 10);
    for (const QString &svg : svgs)
        QVERIFY2(QFile::exists(kLucide + svg), qPrintable(svg));
    QVERIFY(QFile::exists(kLucide + QStringLiteral("LICENSE")));

    openGroup();
    ui::MainWindow *window = m_a.window();
    // Every panel with buttons open: the group info and the find bar.
    QTest::mouseClick(window->findChild<QToolButton *>(QStringLiteral("chatInfoButton")),
                      Qt::LeftButton);
    QVERIFY(spinUntil(
        [&] { return m_a.chat()->infoPanel() && m_a.chat()->infoPanel()->isVisible(); }, 10'000));
    m_a.chat()->showFindBar();

    const QList<QToolButton *> buttons = appToolButtons(window);
    QSet<QString> names;
    for (QToolButton *button : buttons) {
        const QString what = describe(button);
        const QIcon icon = button->icon();
        QVERIFY2(!icon.isNull(), qPrintable(what + QStringLiteral(" has no icon")));
        QVERIFY2(icon.name().startsWith(kLucide) && QFile::exists(icon.name()),
                 qPrintable(what + QStringLiteral(" shows no bundled icon: ") + icon.name()));
        QVERIFY2(inkOf(icon.pixmap(QSize(24, 24))).isValid(),
                 qPrintable(what + QStringLiteral(" icon draws nothing")));
        QCOMPARE(button->toolButtonStyle(), Qt::ToolButtonIconOnly);
        QVERIFY2(!button->toolTip().isEmpty(), qPrintable(what + QStringLiteral(" no tooltip")));
        QVERIFY2(!button->accessibleName().isEmpty(),
                 qPrintable(what + QStringLiteral(" no accessible name")));
        names << button->objectName();
    }
    for (const char *name : {"newChatButton", "newGroupButton", "mainMenuButton", "chatBackButton",
                             "chatSearchButton", "chatMuteButton", "chatInfoButton",
                             "closePanelButton", "closeFindButton", "closeToastButton"})
        QVERIFY2(names.contains(QLatin1String(name)), name);
    // The composer's two (unnamed here; the composer hands them out).
    ui::Composer *composer = m_a.chat()->composer();
    QVERIFY(buttons.contains(composer->sendButton()) && buttons.contains(composer->attachButton()));
    QCOMPARE(composer->sendButton()->icon().name(),
             kLucide + QStringLiteral("send-horizontal.svg"));
    QCOMPARE(composer->attachButton()->icon().name(), kLucide + QStringLiteral("paperclip.svg"));

    // Muting swaps the bell for a struck-out bell.
    auto *mute = window->findChild<QToolButton *>(QStringLiteral("chatMuteButton"));
    QCOMPARE(mute->icon().name(), kLucide + QStringLiteral("bell.svg"));
    mute->click();
    QCOMPARE(mute->icon().name(), kLucide + QStringLiteral("bell-off.svg"));
    mute->click();
    QCOMPARE(mute->icon().name(), kLucide + QStringLiteral("bell.svg"));

    // Crisp on a high-density screen: drawn at the device pixels, not scaled up.
    const QPixmap sharp = mute->icon().pixmap(QSize(20, 20), 2.0);
    QCOMPARE(sharp.size(), QSize(40, 40));
    QCOMPARE(sharp.devicePixelRatio(), 2.0);
}

void TestAppMenu::iconsFollowThePalette()
{
    openGroup();
    ui::MainWindow *window = m_a.window();
    auto *search = window->findChild<QToolButton *>(QStringLiteral("chatSearchButton"));
    auto *newChat = window->findChild<QToolButton *>(QStringLiteral("newChatButton"));
    QToolButton *send = m_a.chat()->composer()->sendButton();
    QVERIFY(search && newChat && !send->isEnabled()); // nothing typed: disabled

    const auto ink = [](QToolButton *button, QIcon::Mode mode = QIcon::Normal) {
        return inkOf(button->icon().pixmap(QSize(24, 24), 1.0, mode));
    };
    const auto check = [&](const QPalette &palette) {
        QCOMPARE(ink(search), palette.color(QPalette::Active, QPalette::ButtonText));
        QCOMPARE(ink(newChat), palette.color(QPalette::Active, QPalette::ButtonText));
        QCOMPARE(ink(send, QIcon::Disabled),
                 palette.color(QPalette::Disabled, QPalette::ButtonText));
    };
    check(search->palette());
    test::saveShot(window, QStringLiteral("appmenu-icons-light.png"));
    QVERIFY(ink(send) != ink(send, QIcon::Disabled)); // the disabled arrow looks disabled

    const QPalette dark = darkPalette();
    QApplication::setPalette(dark);
    // (The application palette reaches the widgets through posted events.)
    QTRY_COMPARE(search->palette().color(QPalette::ButtonText), dark.color(QPalette::ButtonText));
    check(dark);
    test::saveShot(window, QStringLiteral("appmenu-icons-dark.png"));

    // The menu's icons follow too, tinted as it opens.
    QMenu *menu = window->mainMenu();
    window->conversationPane()->menuButton()->click();
    QVERIFY(spinUntil([&] { return menu->isVisible(); }, 5'000));
    for (QAction *action : menu->actions()) {
        if (!action->isSeparator())
            QCOMPARE(inkOf(action->icon().pixmap(QSize(24, 24))), dark.color(QPalette::Text));
    }
    menu->hide();
}

void TestAppMenu::menuHasItsFiveActionsAndEachWorks()
{
    openGroup();
    ui::MainWindow *window = m_a.window();
    QMenu *menu = window->mainMenu();
    QVERIFY(menu);
    QCOMPARE(menu->objectName(), QStringLiteral("mainMenu"));

    // The "≡" button opens it, without blocking.
    auto *button = window->findChild<QToolButton *>(QStringLiteral("mainMenuButton"));
    QVERIFY(button && button->isVisible());
    QCOMPARE(button->icon().name(), kLucide + QStringLiteral("menu.svg"));
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(spinUntil([&] { return menu->isVisible(); }, 5'000));
    test::saveShot(menu, QStringLiteral("appmenu-menu.png"));
    menu->hide();

    QStringList names;
    for (QAction *action : menu->actions()) {
        if (action->isSeparator())
            continue;
        names << action->objectName();
        QVERIFY2(!action->text().isEmpty(), qPrintable(action->objectName()));
        QVERIFY2(action->icon().name().startsWith(kLucide), qPrintable(action->objectName()));
    }
    QCOMPARE(names, QStringList({QStringLiteral("settingsAction"), QStringLiteral("profileAction"),
                                 QStringLiteral("hostedServerAction"),
                                 QStringLiteral("aboutAction"), QStringLiteral("quitAction")}));
    const auto action = [&](const char *name) {
        return menu->findChild<QAction *>(QLatin1String(name));
    };

    // Settings… opens Settings.
    const auto openSettings = [&] {
        ui::SettingsDialog *dialog = nullptr;
        spinUntil(
            [&] {
                dialog = window->findChild<ui::SettingsDialog *>();
                return dialog && dialog->isVisible();
            },
            5'000);
        return dialog;
    };
    action("settingsAction")->trigger();
    ui::SettingsDialog *settings = openSettings();
    QVERIFY(settings);
    auto *hosted = settings->findChild<QLabel *>(QStringLiteral("hostedServerLabel"));
    QVERIFY(hosted && !hosted->isVisible()); // nothing hosted here: no such section
    settings->reject();
    QVERIFY(spinUntil([&] { return !window->findChild<ui::SettingsDialog *>(); }, 5'000));

    // Hosted server… opens Settings at that section, which says there is none.
    action("hostedServerAction")->trigger();
    settings = openSettings();
    QVERIFY(settings);
    hosted = settings->findChild<QLabel *>(QStringLiteral("hostedServerLabel"));
    QVERIFY(hosted && hosted->isVisible());
    QCOMPARE(hosted->text(), QStringLiteral("No server is running on this computer."));
    QCOMPARE(settings->focusWidget(), hosted);
    settings->reject();
    QVERIFY(spinUntil([&] { return !window->findChild<ui::SettingsDialog *>(); }, 5'000));

    // Profile… asks for the profile card.
    QSignalSpy profile(window, &ui::MainWindow::profileRequested);
    action("profileAction")->trigger();
    QCOMPARE(profile.size(), 1);

    // About Tern shows the logo, the version and the icons' licence.
    action("aboutAction")->trigger();
    ui::AboutDialog *about = nullptr;
    QVERIFY(spinUntil(
        [&] {
            about = window->findChild<ui::AboutDialog *>();
            return about && about->isVisible();
        },
        5'000));
    QCOMPARE(about->findChild<QLabel *>(QStringLiteral("aboutVersion"))->text(),
             QStringLiteral("Version " TERN_VERSION));
    QVERIFY(!about->findChild<QLabel *>(QStringLiteral("aboutLogo"))->pixmap().isNull());
    QVERIFY(about->findChild<QLabel *>(QStringLiteral("aboutIconCredit"))
                ->text()
                .contains(QStringLiteral("Lucide")));
    test::saveShot(about, QStringLiteral("appmenu-about.png"));
    action("aboutAction")->trigger(); // raises the open one, no second dialog
    QCOMPARE(window->findChildren<ui::AboutDialog *>().size(), 1);
    about->reject();

    // Quit goes the way Ctrl+Q and the tray's Quit go: the controller quits (its window hides;
    // QCoreApplication::quit() itself does nothing outside exec(), so the test lives on).
    QSignalSpy quit(window, &ui::MainWindow::quitRequested);
    action("quitAction")->trigger();
    QCOMPARE(quit.size(), 1);
    QVERIFY(!window->isVisible());
}

QTEST_MAIN(TestAppMenu)
#include "tst_appmenu.moc"
