// The whole app in German, as `tern --lang de` starts it (AppController::installTranslations),
// against a real ternd child process under QT_QPA_PLATFORM=offscreen. Every screen is walked —
// connect screen, sign-in and account creation with their errors, hosting, the main window with
// a direct chat and a group chat with its info panel, context menus, the new-chat, new-group and
// settings dialogs, the offline banner — and every text a user can see or hear (UiTextAudit) must
// be German. A translator installed below the app's (MissedTranslations) also fails the test on
// any tr() lookup of the app that found no German text, whether or not it has English words.
//
// The test's own data is German too (names, messages), so no English word comes from it.
//
// The same walk checks the objectNames UI automation relies on (WidgetNameAudit): every
// interactive widget and menu action of every screen has one, unique within its window and
// listed in docs/widget-names.md (read from $TERN_WIDGET_NAMES_DOC, set by CTest).

#include "app/client/ChatClient.h"
#include "app/models/MessageListModel.h"
#include "app/session/AccountSession.h"
#include "app/session/ServerHost.h"
#include "app/ui/AboutDialog.h"
#include "app/ui/AppController.h"
#include "app/ui/CertificateChangedDialog.h"
#include "app/ui/ChatHeader.h"
#include "app/ui/ChatPane.h"
#include "app/ui/Composer.h"
#include "app/ui/ConnectWidget.h"
#include "app/ui/ConversationDelegate.h"
#include "app/ui/ConversationPane.h"
#include "app/ui/FindBar.h"
#include "app/ui/GroupInfoPanel.h"
#include "app/ui/ImageViewer.h"
#include "app/ui/MainWindow.h"
#include "app/ui/MessageView.h"
#include "app/ui/NewChatDialog.h"
#include "app/ui/NewGroupDialog.h"
#include "app/ui/ProfileDialog.h"
#include "app/ui/SettingsDialog.h"
#include "app/ui/TrustServerDialog.h"
#include "app/ui/UserSearchWidget.h"
#include "shared/crypto/Crypto.h"
#include "shared/model/CertificateFingerprint.h"
#include "tests/app/AppInstance.h"
#include "tests/app/MissedTranslations.h"
#include "tests/app/UiTextAudit.h"
#include "tests/app/WidgetNameAudit.h"
#include "tests/support/ChildServer.h"
#include "tests/support/TestCertificate.h"
#include "tests/support/TestUtil.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProxyStyle>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

#include <qcoro/qcorotask.h>

#include <algorithm>
#include <memory>
#include <optional>

using namespace tern;
using namespace tern::app;
using tern::test::spinUntil;

namespace {

//! The app's style without underlined mnemonics, so a painted "Passwort be&stätigen" reaches
//! the audit in one piece, not as "Passwort be" + "s" + "tätigen".
class NoMnemonicUnderline : public QProxyStyle
{
public:
    int styleHint(StyleHint hint, const QStyleOption *option, const QWidget *widget,
                  QStyleHintReturn *data) const override
    {
        if (hint == SH_UnderlineShortcut)
            return 0;
        return QProxyStyle::styleHint(hint, option, widget, data);
    }
};

//! The first visible child of type T in `app`'s window (a dialog just opened); null after 5 s.
template <typename T> T *waitForChild(const test::AppInstance &app)
{
    T *found = nullptr;
    spinUntil(
        [&] {
            found = app.window()->findChild<T *>();
            return found && found->isVisible();
        },
        5'000);
    return found;
}

//! `from` opens `conversation` and sends `text`; true once `to` (active again) shows at least
//! `rows` messages in its open chat.
bool answer(const test::AppInstance &from, const test::AppInstance &to, const QString &conversation,
            const QString &text, int rows)
{
    if (!spinUntil([&] { return from.window()->openConversation(conversation); }, 10'000))
        return false;
    from.send(text);
    to.activate();
    return spinUntil([&] { return to.chat()->messageView()->model()->rowCount() >= rows; }, 10'000);
}

void fill(QWidget *parent, const char *name, const QString &text)
{
    auto *edit = parent->findChild<QLineEdit *>(QLatin1String(name));
    QVERIFY2(edit, name);
    edit->clear();
    QTest::keyClicks(edit, text);
}

} // namespace

class TestGermanUi : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void auditKnowsEnglish();
    void connectScreen();
    void hostingScreen();
    void mainWindow();
    void commandLineHelp();

private:
    //! Walks every widget and window now; problems are reported at the end of the test.
    void audit(const QString &state)
    {
        m_problems << m_audit->auditAll(state);
        m_nameProblems << m_names.auditAll(state);
    }
    //! Runs `open` (which shows a context menu) and walks the menu while it is open; false when
    //! no menu opened.
    [[nodiscard]] bool auditContextMenu(const QString &state, const std::function<void()> &open);

    test::MissedTranslations *m_missed = nullptr;
    std::optional<test::UiTextAudit> m_audit;
    QSet<QString> m_qtContexts;
    std::unique_ptr<test::ChildServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    QStringList m_problems;
    test::WidgetNameAudit m_names;
    QStringList m_nameProblems;
    int m_round = 0;
};

void TestGermanUi::initTestCase()
{
    qputenv("TERN_NO_KEYCHAIN", "1");
    QVERIFY(crypto::initialize());
    QApplication::setStyle(new NoMnemonicUnderline);
    // Asked last: it sees exactly the lookups no catalogue answered.
    m_missed = new test::MissedTranslations(qApp);
    QCoreApplication::installTranslator(m_missed);
    // The path `tern --lang de` takes.
    ui::AppController::installTranslations(QStringLiteral("de"));
    // The app's catalogue and the Qt strings Tern bundles German for.
    QList<test::TsMessage> german;
    for (const char *file : {"tern_de.ts", "qt_de.ts"}) {
        QString error;
        german << test::readTs(test::sourceTsPath(QLatin1String(file)), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    for (const test::TsMessage &message : std::as_const(german))
        m_qtContexts.insert(message.context); // (only qt_de.ts has Q… contexts)
    m_audit.emplace(german);
    QString error;
    QVERIFY2(m_names.readDocument(qEnvironmentVariable("TERN_WIDGET_NAMES_DOC"), &error),
             qPrintable(error));
}

void TestGermanUi::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<test::ChildServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_problems.clear();
    m_nameProblems.clear();
    m_missed->takeMisses(m_qtContexts);
    ++m_round;
}

void TestGermanUi::cleanup()
{
    // Reported even when the walk stopped early, so one run shows everything left in English.
    const QStringList missed = m_missed->takeMisses(m_qtContexts);
    m_problems.removeDuplicates();
    m_server.reset();
    m_dir.reset();
    // One line each: QTest cuts long failure messages.
    for (const QString &problem : std::as_const(m_problems))
        qWarning("English text in the German UI: %s", qPrintable(problem));
    for (const QString &miss : missed)
        qWarning("No German translation: %s", qPrintable(miss));
    m_nameProblems.removeDuplicates();
    for (const QString &problem : std::as_const(m_nameProblems))
        qWarning("Widget name: %s", qPrintable(problem));
    QVERIFY2(m_problems.isEmpty(), "English text in the German UI (listed above)");
    QVERIFY2(missed.isEmpty(), "tr() strings without a German translation (listed above): run "
                               "scripts/update-translations.sh and translate them");
    QVERIFY2(m_nameProblems.isEmpty(),
             "interactive widgets or menu actions without a unique, documented objectName "
             "(listed above): name them and list them in docs/widget-names.md");
}

bool TestGermanUi::auditContextMenu(const QString &state, const std::function<void()> &open)
{
    bool seen = false;
    const auto auditOpenMenu = [&] {
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        if (!menu || seen)
            return false;
        seen = true;
        m_problems << m_audit->auditMenu(menu, state) << m_audit->auditAll(state);
        m_nameProblems << m_names.auditAll(state);
        menu->close();
        return true;
    };
    // Menus shown with exec() are walked from inside its loop; popup() ones after it returns.
    QTimer poll;
    poll.setInterval(10);
    QObject::connect(&poll, &QTimer::timeout, auditOpenMenu);
    poll.start();
    QTimer::singleShot(5'000, &poll, [] {
        if (QWidget *popup = QApplication::activePopupWidget())
            popup->close();
    });
    open();
    poll.stop();
    if (!seen)
        spinUntil(auditOpenMenu, 5'000);
    return seen;
}

//! The audit itself: it must know the English the app would show, and not flag German.
void TestGermanUi::auditKnowsEnglish()
{
    const auto &english = m_audit->englishWords();
    for (const char *word : {"today", "yesterday", "members", "message", "cancel", "group",
                             "settings", "monday", "sign", "password", "write"})
        QVERIFY2(english.contains(QLatin1String(word)), word);
    for (const char *word : {"heute", "gestern", "mitglieder", "chat", "online", "tern", "server",
                             "in", "montag", "august", "info"})
        QVERIFY2(!english.contains(QLatin1String(word)), word);
    QVERIFY(
        !m_audit->check(QStringLiteral("x"), QStringLiteral("3 member(s), 2 online")).isEmpty());
    QVERIFY(
        m_audit->check(QStringLiteral("x"), QStringLiteral("3 Mitglieder, 2 online")).isEmpty());
    // A fingerprint on screen is not English, whatever its letters spell (one did: "GO57NNT").
    QVERIFY(m_audit->check(QStringLiteral("x"), QStringLiteral("Verschlüsselt · GO57NNT-N2BSEDV…"))
                .isEmpty());
    QVERIFY(m_audit->check(QStringLiteral("x"), QStringLiteral("BE:AD:2F:00:1C")).isEmpty());
    QVERIFY(
        m_audit->check(QStringLiteral("x"), QStringLiteral("Verschlüsselt · GO57N…")).isEmpty());
    QVERIFY(!m_audit->check(QStringLiteral("x"), QStringLiteral("go to the settings")).isEmpty());
    // The untranslated lookup is seen.
    QCOMPARE(ui::ChatPane::tr("An English sentence nobody translated"),
             QStringLiteral("An English sentence nobody translated"));
    QCOMPARE(m_missed->takeMisses(m_qtContexts),
             QStringList{
                 QStringLiteral("tern::app::ui::ChatPane: An English sentence nobody translated")});
}

void TestGermanUi::connectScreen()
{
    test::AppInstance app;
    app.launch(m_dir->filePath(QStringLiteral("profil")));
    ui::ConnectWidget *connect = app.window()->connectWidget();
    QVERIFY(spinUntil([&] { return connect->isVisible(); }, 5'000));
    // A new profile says hello first.
    QCOMPARE(connect->page(), ui::ConnectWidget::Page::Welcome);
    audit(QStringLiteral("Willkommen"));
    QTest::mouseClick(connect->findChild<QPushButton *>(QStringLiteral("welcomeContinueButton")),
                      Qt::LeftButton);
    audit(QStringLiteral("Serverauswahl"));

    // A typed address that is no address: the inline error.
    fill(connect, "addressEdit", QStringLiteral("::: kaputt"));
    QTest::mouseClick(connect->findChild<QPushButton *>(QStringLiteral("connectButton")),
                      Qt::LeftButton);
    QVERIFY(spinUntil([&] { return !connect->errorText().isEmpty(); }, 5'000));
    audit(QStringLiteral("Serverauswahl mit Fehler"));

    // A real server: the sign-in page, then its validation errors.
    const QUrl url = m_server->url();
    fill(connect, "addressEdit", QStringLiteral("127.0.0.1:%1").arg(url.port()));
    QTest::mouseClick(connect->findChild<QPushButton *>(QStringLiteral("connectButton")),
                      Qt::LeftButton);
    QVERIFY(spinUntil([&] { return connect->page() == ui::ConnectWidget::Page::SignIn; }, 10'000));
    audit(QStringLiteral("Anmelden"));
    auto *submit = connect->findChild<QPushButton *>(QStringLiteral("submitButton"));
    QVERIFY(submit);
    // Sends the form; true once a new error shows (validation at once, the server's answer later).
    const auto submitForError = [&] {
        const QString before = connect->errorText();
        QTest::mouseClick(submit, Qt::LeftButton);
        return spinUntil(
            [&] {
                const QString now = connect->errorText();
                return !connect->isBusy() && !now.isEmpty() && now != before;
            },
            15'000);
    };
    QVERIFY(submitForError());
    audit(QStringLiteral("Anmelden ohne Eingaben"));

    // Creating an account: the form and its errors.
    connect->findChild<QTabBar *>(QStringLiteral("modeTabs"))->setCurrentIndex(1);
    QVERIFY(connect->isCreateAccountMode());
    audit(QStringLiteral("Konto erstellen"));
    fill(connect, "userEdit", QStringLiteral("jo"));
    QVERIFY(submitForError());
    audit(QStringLiteral("Konto erstellen, Name zu kurz"));
    fill(connect, "userEdit", QStringLiteral("jonas%1").arg(m_round));
    fill(connect, "displayNameEdit", QStringLiteral("Jonas"));
    fill(connect, "passwordEdit", test::kAppPassword);
    fill(connect, "confirmEdit", QStringLiteral("anderes-456"));
    QVERIFY(submitForError());
    audit(QStringLiteral("Konto erstellen, Kennwörter verschieden"));

    // Signing in with a wrong password: the server's answer, in German.
    connect->findChild<QTabBar *>(QStringLiteral("modeTabs"))->setCurrentIndex(0);
    fill(connect, "userEdit", QStringLiteral("niemand"));
    fill(connect, "passwordEdit", test::kAppPassword);
    QVERIFY(submitForError());
    audit(QStringLiteral("Anmelden, falsches Kennwort"));
}

void TestGermanUi::hostingScreen()
{
    test::AppInstance app;
    app.launch(m_dir->filePath(QStringLiteral("gastgeber")));
    ui::ConnectWidget *connect = app.window()->connectWidget();
    connect->showChooseServer(); // past the welcome page (connectScreen walks it)
    QTest::mouseClick(connect->findChild<QPushButton *>(QStringLiteral("hostButton")),
                      Qt::LeftButton);
    QVERIFY(spinUntil([&] { return app.controller->host()->isRunning(); }, 30'000));
    QVERIFY(spinUntil([&] { return connect->isCreateAccountMode(); }, 5'000));
    audit(QStringLiteral("Server bereitgestellt"));
    QSignalSpy stopped(app.controller->host(), &session::ServerHost::stopped);
    app.controller->quit();
    QVERIFY(spinUntil([&] { return !stopped.isEmpty(); }, 15'000));
}

void TestGermanUi::mainWindow()
{
    const QUrl url = m_server->url();
    test::AppInstance anna, bernd;
    anna.launch(m_dir->filePath(QStringLiteral("anna")));
    bernd.launch(m_dir->filePath(QStringLiteral("bernd")));
    QVERIFY(test::signIn(anna, url, QStringLiteral("anna%1").arg(m_round),
                         QStringLiteral("Anna Fischer")));
    QVERIFY(test::signIn(bernd, url, QStringLiteral("bernd%1").arg(m_round),
                         QStringLiteral("Bernd Weber")));
    anna.activate();
    QVERIFY(anna.window()->isShowingMain());
    audit(QStringLiteral("Hauptfenster, noch keine Chats"));

    // The profile card, and its name being edited.
    emit anna.window()->profileRequested();
    auto *card = waitForChild<ui::ProfileDialog>(anna);
    QVERIFY(card);
    audit(QStringLiteral("Profil"));
    card->startEdit();
    audit(QStringLiteral("Profil, Name bearbeiten"));
    card->close();

    // A direct chat, before and after the first message, with an answer.
    anna.window()->openDirectChat(bernd.client()->connection()->userId(),
                                  QStringLiteral("Bernd Weber"));
    audit(QStringLiteral("Neuer Direktchat"));
    anna.send(QStringLiteral("Hallo Bernd"));
    QVERIFY(spinUntil([&] { return !anna.chat()->currentConversation().isEmpty(); }, 10'000));
    const QString direct = anna.chat()->currentConversation();
    QVERIFY(answer(bernd, anna, direct, QStringLiteral("Servus Anna"), 2));
    audit(QStringLiteral("Direktchat"));

    // A new group, made through its dialog (with search results shown).
    emit anna.window()->newGroupRequested();
    auto *group = waitForChild<ui::NewGroupDialog>(anna);
    QVERIFY(group);
    audit(QStringLiteral("Neue Gruppe, leer"));
    fill(group, "groupNameEdit", QStringLiteral("Mittagsrunde"));
    fill(group, "userSearchField", QStringLiteral("bernd%1").arg(m_round));
    auto *results = group->findChild<QListWidget *>(QStringLiteral("userSearchResults"));
    QVERIFY(spinUntil([&] { return results->count() > 0; }, 5'000));
    audit(QStringLiteral("Neue Gruppe, Suchergebnisse"));
    QTest::keyClick(group->findChild<QLineEdit *>(QStringLiteral("userSearchField")), Qt::Key_Down);
    QTest::keyClick(group->findChild<QLineEdit *>(QStringLiteral("userSearchField")),
                    Qt::Key_Return);
    auto *create = group->findChild<QPushButton *>(QStringLiteral("createGroupButton"));
    QVERIFY(spinUntil([&] { return create->isEnabled(); }, 2'000));
    audit(QStringLiteral("Neue Gruppe, Mitglied gewählt"));
    QTest::mouseClick(create, Qt::LeftButton);
    QVERIFY(spinUntil(
        [&] {
            const QString open = anna.chat()->currentConversation();
            return !open.isEmpty() && open != direct;
        },
        10'000));
    const QString groupChat = anna.chat()->currentConversation();
    QVERIFY(answer(bernd, anna, groupChat, QStringLiteral("Bis gleich"), 2));

    // A picture and a file from Bernd; Anna opens the picture.
    QImage picture(640, 400, QImage::Format_RGB32);
    picture.fill(QColor(40, 120, 200));
    const QString harbour = m_dir->filePath(QStringLiteral("Hafen.png"));
    QVERIFY(picture.save(harbour));
    const QString notes = m_dir->filePath(QStringLiteral("Notizen.txt"));
    {
        QFile file(notes);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("Protokoll\n");
    }
    bernd.chat()->attachFiles({harbour, notes});
    anna.activate();
    QAbstractItemModel *messages = anna.chat()->messageView()->model();
    const auto rowOfKind = [&](const QString &kind) {
        for (int row = messages->rowCount() - 1; row >= 0; --row) {
            if (messages->index(row, 0).data(models::MessageListModel::KindRole) == kind)
                return row;
        }
        return -1;
    };
    QVERIFY(spinUntil(
        [&] {
            return rowOfKind(QStringLiteral("image")) >= 0 &&
                   rowOfKind(QStringLiteral("file")) >= 0;
        },
        20'000));
    audit(QStringLiteral("Gruppenchat mit Foto und Datei"));
    QSignalSpy opened(anna.chat(), &ui::ChatPane::imageViewerOpened);
    anna.chat()->openMedia(messages->index(rowOfKind(QStringLiteral("image")), 0));
    QVERIFY(spinUntil([&] { return !opened.isEmpty(); }, 5'000));
    auto *viewer = anna.chat()->findChild<ui::ImageViewer *>();
    QVERIFY(viewer);
    audit(QStringLiteral("Bildbetrachter"));
    QVERIFY(spinUntil([&] { return !viewer->image().isNull(); }, 20'000));
    audit(QStringLiteral("Bildbetrachter, geladen"));
    viewer->close();

    // The group's info panel, a selected member, the leave question.
    emit anna.chat()->header()->infoClicked();
    QVERIFY(spinUntil(
        [&] { return anna.chat()->infoPanel() && anna.chat()->infoPanel()->isVisible(); }, 5'000));
    ui::GroupInfoPanel *panel = anna.chat()->infoPanel();
    auto *members = panel->findChild<QListView *>(QStringLiteral("memberList"));
    QVERIFY(
        spinUntil([&] { return members->model() && members->model()->rowCount() == 2; }, 10'000));
    audit(QStringLiteral("Gruppenchat mit Gruppeninfo"));
    const QString shots = qEnvironmentVariable("TERN_TEST_OUTDIR", QDir::tempPath());
    QDir().mkpath(shots);
    anna.window()->grab().save(QDir(shots).filePath(QStringLiteral("german-group-info.png")));
    QModelIndex other;
    for (int row = 0; row < 2; ++row) {
        const QModelIndex index = members->model()->index(row, 0);
        if (!index.data(Qt::DisplayRole).toString().startsWith(QLatin1String("Anna")))
            other = index;
    }
    QVERIFY(other.isValid());
    members->setCurrentIndex(other);
    audit(QStringLiteral("Gruppeninfo, Mitglied gewählt"));
    QVERIFY(auditContextMenu(QStringLiteral("Kontextmenü eines Mitglieds"), [&] {
        emit members->customContextMenuRequested(members->visualRect(other).center());
    }));
    QTest::mouseClick(panel->findChild<QPushButton *>(QStringLiteral("leaveButton")),
                      Qt::LeftButton);
    audit(QStringLiteral("Gruppe verlassen?"));
    QTest::mouseClick(panel->findChild<QPushButton *>(QStringLiteral("cancelLeaveButton")),
                      Qt::LeftButton);

    // The context menu of a message.
    ui::MessageView *view = anna.chat()->messageView();
    const QModelIndex last = view->model()->index(view->model()->rowCount() - 1, 0);
    const QPoint at = view->visualRect(last).center();
    QVERIFY(auditContextMenu(QStringLiteral("Kontextmenü einer Nachricht"), [&] {
        QContextMenuEvent event(QContextMenuEvent::Mouse, at, view->viewport()->mapToGlobal(at));
        QApplication::sendEvent(view->viewport(), &event);
    }));

    // Find in chat, with nothing found.
    anna.chat()->showFindBar();
    auto *find = anna.chat()->findChild<QLineEdit *>(QStringLiteral("findField"));
    QVERIFY(find && find->isVisible());
    QCOMPARE(find->placeholderText(), ui::FindBar::tr("Find in this chat"));
    QTest::keyClicks(find, QStringLiteral("Zebra"));
    QTest::keyClick(find, Qt::Key_Return);
    auto *count = anna.chat()->findChild<QLabel *>(QStringLiteral("findCount"));
    QVERIFY(count);
    QTRY_COMPARE(count->text(), ui::FindBar::tr("No matches"));
    QCOMPARE(count->text(), QStringLiteral("Keine Treffer"));
    audit(QStringLiteral("Suche im Chat, nichts gefunden"));
    anna.chat()->closePanels();

    // Qt's own editor menus: the composer's and the list filter's.
    auto *composer = anna.chat()->composer()->findChild<QPlainTextEdit *>();
    QTest::keyClicks(composer, QStringLiteral("Entwurf"));
    composer->selectAll();
    QVERIFY(auditContextMenu(QStringLiteral("Kontextmenü des Eingabefelds"), [&] {
        const QPoint centre = composer->viewport()->rect().center();
        QContextMenuEvent event(QContextMenuEvent::Mouse, centre,
                                composer->viewport()->mapToGlobal(centre));
        QApplication::sendEvent(composer->viewport(), &event);
    }));
    auto *filter = anna.window()->conversationPane()->findChild<QLineEdit *>();
    QVERIFY(filter);
    QVERIFY(auditContextMenu(QStringLiteral("Kontextmenü der Chatsuche"), [&] {
        QContextMenuEvent event(QContextMenuEvent::Mouse, filter->rect().center(),
                                filter->mapToGlobal(filter->rect().center()));
        QApplication::sendEvent(filter, &event);
    }));

    QVERIFY(auditContextMenu(QStringLiteral("Kontextmenü der Bildlaufleiste"), [&] {
        QScrollBar *bar = view->verticalScrollBar();
        QContextMenuEvent event(QContextMenuEvent::Mouse, bar->rect().center(),
                                bar->mapToGlobal(bar->rect().center()));
        QApplication::sendEvent(bar, &event);
    }));

    // New chat: blank, then with results.
    emit anna.window()->newChatRequested();
    auto *newChat = waitForChild<ui::NewChatDialog>(anna);
    QVERIFY(newChat);
    audit(QStringLiteral("Neuer Chat"));
    fill(newChat, "userSearchField", QStringLiteral("bernd"));
    auto *found = newChat->findChild<QListWidget *>(QStringLiteral("userSearchResults"));
    QVERIFY(spinUntil([&] { return found->count() > 0; }, 5'000));
    audit(QStringLiteral("Neuer Chat, Suchergebnisse"));
    fill(newChat, "userSearchField", QStringLiteral("xyzzy"));
    auto *search = newChat->findChild<ui::UserSearchWidget *>();
    QVERIFY(search);
    QVERIFY(
        spinUntil([&] { return found->count() == 0 && !search->statusText().isEmpty(); }, 5'000));
    audit(QStringLiteral("Neuer Chat, nichts gefunden"));
    newChat->reject();

    // Settings.
    emit anna.window()->settingsRequested();
    auto *settings = waitForChild<ui::SettingsDialog>(anna);
    QVERIFY(settings);
    audit(QStringLiteral("Einstellungen"));
    settings->reject();

    // The "≡" menu, Settings at the hosted server, About.
    QMenu *menu = anna.window()->mainMenu();
    QTest::mouseClick(anna.window()->findChild<QToolButton *>(QStringLiteral("mainMenuButton")),
                      Qt::LeftButton);
    QVERIFY(spinUntil([&] { return menu->isVisible(); }, 5'000));
    audit(QStringLiteral("Menü"));
    menu->hide();
    menu->findChild<QAction *>(QStringLiteral("hostedServerAction"))->trigger();
    settings = waitForChild<ui::SettingsDialog>(anna);
    QVERIFY(settings);
    audit(QStringLiteral("Einstellungen, Server auf diesem Computer"));
    settings->reject();
    menu->findChild<QAction *>(QStringLiteral("aboutAction"))->trigger();
    auto *about = waitForChild<ui::AboutDialog>(anna);
    QVERIFY(about);
    audit(QStringLiteral("Über Tern"));
    about->reject();

    // The TLS dialogs (issue 17), every optional part shown: an announcement that does not
    // match and a pasted fingerprint that does not; the replace step with one that does.
    {
        test::TestCertificate one, two;
        QVERIFY2(one.ok() && two.ok(), qPrintable(one.error + two.error));
        const QSslCertificate a = one.certificate(), b = two.certificate();
        const QByteArray digestB = fingerprint::sha256(b.toDer());
        const QUrl at(QStringLiteral("wss://127.0.0.1:7070/ws"));
        ui::TrustServerDialog trust(at, a, anna.window());
        trust.setAnnouncement(QStringLiteral("Büro"), digestB);
        trust.findChild<QLineEdit *>(QStringLiteral("expectedFingerprintEdit"))
            ->setText(fingerprint::grouped(digestB));
        trust.findChild<QPushButton *>(QStringLiteral("fingerprintDetailsButton"))->click();
        trust.show();
        audit(QStringLiteral("Server vertrauen"));
        trust.reject();
        ui::CertificateChangedDialog changed(at, a, QDateTime::currentDateTime(), b, anna.window());
        changed.show();
        audit(QStringLiteral("Identität geändert"));
        changed.showReplace();
        changed.findChild<QLineEdit *>(QStringLiteral("newFingerprintCheckEdit"))
            ->setText(fingerprint::grouped(digestB));
        audit(QStringLiteral("Identität geändert, ersetzen"));
        changed.reject();
    }

    // The server goes away: the offline banner and list header.
    m_server.reset();
    QVERIFY(spinUntil(
        [&] {
            return anna.client()->connection()->state() != client::ChatConnection::State::Online;
        },
        10'000));
    auto *banner = anna.window()->findChild<QWidget *>(QStringLiteral("connectionBanner"));
    QVERIFY(banner);
    QVERIFY(spinUntil([&] { return banner->isVisible(); }, 10'000));
    audit(QStringLiteral("Offline"));
}

QTEST_MAIN(TestGermanUi)
#include "tst_germanui.moc"

void TestGermanUi::commandLineHelp()
{
    // `tern --help` was English whatever the language: its texts were read before the
    // translations were installed.
    const QString binary = qEnvironmentVariable("TERN_APP_BINARY");
    if (binary.isEmpty())
        QSKIP("TERN_APP_BINARY not set (run through ctest)");
    QProcess tern;
    tern.start(binary, {QStringLiteral("--lang"), QStringLiteral("de"), QStringLiteral("--help"),
                        QStringLiteral("--profile"), m_dir->filePath(QStringLiteral("none"))});
    QVERIFY(tern.waitForFinished(30'000));
    const QString help = QString::fromUtf8(tern.readAllStandardOutput());
    QVERIFY2(help.contains(QStringLiteral("Chat für das Netz deines Büros")), qPrintable(help));
    QVERIFY2(help.contains(QStringLiteral("Sprache")), qPrintable(help));
    QVERIFY2(!help.contains(QStringLiteral("Start in the tray")), qPrintable(help));
    QVERIFY2(!QDir(m_dir->filePath(QStringLiteral("none"))).exists(),
             "--help alone must not create a profile");
}
