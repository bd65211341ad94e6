// Screen readers (issue 16), through two real app windows against a real ternd child process
// under QT_QPA_PLATFORM=offscreen: new messages are announced (seen through Qt's own
// QAccessible::installUpdateHandler hook, where the AT-SPI bridge would get them), photos and
// files are described in the message rows, and every interactive element of the main window
// with a chat open has an accessible name (the whole accessibility tree is walked, and dumped
// when something has none).

#include "app/client/ChatClient.h"
#include "app/client/GroupRequests.h"
#include "app/client/MediaTransfers.h"
#include "app/client/Outbox.h"
#include "app/models/ConversationListModel.h"
#include "app/models/MessageListModel.h"
#include "app/ui/AppController.h"
#include "app/ui/ChatHeader.h"
#include "app/ui/ChatPane.h"
#include "app/ui/Composer.h"
#include "app/ui/ConnectionBanner.h"
#include "app/ui/ConversationPane.h"
#include "app/ui/EmojiPicker.h"
#include "app/ui/MainWindow.h"
#include "app/ui/MessageView.h"
#include "shared/crypto/Crypto.h"
#include "tests/app/AppInstance.h"
#include "tests/app/AppPair.h"
#include "tests/support/TestUtil.h"

#include <QAccessible>
#include <QApplication>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QListView>
#include <QTest>
#include <QToolButton>

#include <qcoro/qcorotask.h>

#ifdef TERN_HAVE_QT_GUI_PRIVATE
#include <QtGui/private/qguiapplication_p.h>
#include <qpa/qplatformaccessibility.h>
#include <qpa/qplatformintegration.h>
#endif

using namespace tern;
using namespace tern::app;
using tern::test::spinUntil;
using ListRole = models::ConversationListModel::Role;
using MessageRole = models::MessageListModel::Role;

namespace {

constexpr int kWaitMs = 15'000;

struct Posted
{
    QAccessible::Event type;
    QAccessible::Role role;
    QString name;
};
QList<Posted> g_posted;

//! Installed with QAccessible::installUpdateHandler: keeps what live objects (role
//! Notification, which the AT-SPI bridge maps to ATSPI_ROLE_NOTIFICATION) post; the rest, the
//! widgets' own events, would only make the list long.
void recordUpdate(QAccessibleEvent *event)
{
    QAccessibleInterface *iface = event->accessibleInterface();
    if (!iface || iface->role() != QAccessible::Notification)
        return;
    g_posted.append({event->type(), iface->role(), iface->text(QAccessible::Name)});
}

//! What a screen reader would speak: the names shown by ObjectShow of a Notification.
QStringList spoken()
{
    QStringList texts;
    for (const Posted &posted : std::as_const(g_posted)) {
        if (posted.type == QAccessible::ObjectShow && posted.role == QAccessible::Notification)
            texts << posted.name;
    }
    return texts;
}

bool isInteractive(QAccessibleInterface *iface)
{
    switch (iface->role()) {
    case QAccessible::PushButton:
    case QAccessible::CheckBox:
    case QAccessible::RadioButton:
    case QAccessible::ComboBox:
    case QAccessible::EditableText:
    case QAccessible::SpinBox:
    case QAccessible::Slider:
    case QAccessible::Dial:
    case QAccessible::List:
    case QAccessible::Table:
    case QAccessible::Tree:
    case QAccessible::MenuItem:
    case QAccessible::ButtonMenu:
    case QAccessible::ButtonDropDown:
    case QAccessible::ButtonDropGrid:
    case QAccessible::PageTab:
    case QAccessible::PageTabList:
    case QAccessible::Link:
        return true;
    case QAccessible::ScrollBar:
        // Qt's scroll bars are named by their orientation and read by their value; screen
        // readers scroll with the view's keys, never by the bar's name.
        return false;
    default:
        break;
    }
    if (iface->state().focusable)
        return true;
    if (QAccessibleActionInterface *actions = iface->actionInterface()) {
        const QStringList names = actions->actionNames();
        return names.contains(QAccessibleActionInterface::pressAction()) ||
               names.contains(QAccessibleActionInterface::toggleAction());
    }
    return false;
}

QString describe(QAccessibleInterface *iface)
{
    QObject *object = iface->object();
    QString where = object ? QString::fromLatin1(object->metaObject()->className()) : QString();
    if (object && !object->objectName().isEmpty())
        where += QLatin1Char('#') + object->objectName();
    return QStringLiteral("role 0x%1 name \"%2\" %3%4")
        .arg(int(iface->role()), 0, 16)
        .arg(iface->text(QAccessible::Name), where,
             iface->state().invisible ? QStringLiteral(" (hidden)") : QString());
}

//! Walks the tree under `iface` (bounded), noting each line of the dump and each nameless
//! interactive element.
void walk(QAccessibleInterface *iface, int depth, QStringList *dump, QStringList *nameless)
{
    if (!iface || depth > 40 || dump->size() > 5000)
        return;
    const QString line = QString(depth * 2, QLatin1Char(' ')) + describe(iface);
    *dump << line;
    if (isInteractive(iface) && iface->text(QAccessible::Name).trimmed().isEmpty())
        *nameless << describe(iface);
    const int count = iface->childCount();
    for (int i = 0; i < count && i < 500; ++i)
        walk(iface->child(i), depth + 1, dump, nameless);
}

//! What the AT-SPI bridge does when a screen reader registers: QAccessible::updateAccessibility
//! drops every event until then. Only Qt's private API can (as Qt's own accessibility tests do).
bool activateAccessibility()
{
#ifdef TERN_HAVE_QT_GUI_PRIVATE
    if (QPlatformAccessibility *platform =
            QGuiApplicationPrivate::platformIntegration()->accessibility()) {
        platform->setActive(true);
        return QAccessible::isActive();
    }
#endif
    return false;
}

} // namespace

class TestAccessibility : public QObject, private test::AppPair
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void newMessagesAreAnnounced();
    void photosAndFilesAreDescribed();
    void everyInteractiveElementHasAName();

private:
    //! Alice's direct chat with Bob, opened in her active window; "" on failure.
    QString openDirectChat();
    QString m_aliceId;
};

void TestAccessibility::initTestCase()
{
    qputenv("TERN_NO_KEYCHAIN", "1");
    QVERIFY(crypto::initialize());
    ui::AppController::installTranslations(QStringLiteral("en"));
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QAccessible::installUpdateHandler(recordUpdate);
}

void TestAccessibility::init()
{
    startServer();
    signInPair();
    m_aliceId = m_a.client()->connection()->userId();
    g_posted.clear();
}

void TestAccessibility::cleanup()
{
    closeAll();
    g_posted.clear();
}

QString TestAccessibility::openDirectChat()
{
    m_b.client()->outbox()->sendText(m_aliceId, QStringLiteral("first"));
    QString chat;
    spinUntil(
        [&] {
            for (int row = 0; row < m_a.list()->rowCount(); ++row) {
                const QModelIndex index = m_a.list()->index(row);
                if (index.data(ListRole::KindRole).toString() == QLatin1String("direct"))
                    chat = index.data(ListRole::ConversationIdRole).toString();
            }
            return !chat.isEmpty();
        },
        kWaitMs);
    if (chat.isEmpty())
        return {};
    m_a.activate();
    if (!spinUntil([&] { return m_a.window()->openConversation(chat); }, kWaitMs))
        return {};
    return chat;
}

void TestAccessibility::newMessagesAreAnnounced()
{
    if (!activateAccessibility())
        QSKIP("accessibility cannot be switched on without Qt's private headers "
              "(qt6-base-private-dev)");
    const QString direct = openDirectChat();
    QVERIFY(!direct.isEmpty());
    const Result<QString> team =
        QCoro::waitFor(m_b.client()->groups()->createGroup(QStringLiteral("Team"), {m_aliceId}));
    QVERIFY(team);
    const Result<QString> quiet =
        QCoro::waitFor(m_b.client()->groups()->createGroup(QStringLiteral("Quiet"), {m_aliceId}));
    QVERIFY(quiet);
    QVERIFY(spinUntil([&] { return m_a.list()->rowOf(*quiet) >= 0; }, kWaitMs));
    m_a.list()->setMuted(*quiet, true);
    QVERIFY(spinUntil([&] { return m_a.list()->rowOf(*team) >= 0; }, kWaitMs));
    g_posted.clear();

    // The open chat: who and what. Name first, then shown, from a Notification.
    m_b.client()->outbox()->sendText(m_aliceId, QStringLiteral("hello"));
    QVERIFY(spinUntil([] { return !spoken().isEmpty(); }, kWaitMs));
    QCOMPARE(spoken(), QStringList{QStringLiteral("Bob: hello")});
    QCOMPARE(g_posted.size(), 2);
    QCOMPARE(g_posted.at(0).type, QAccessible::NameChanged);
    QCOMPARE(g_posted.at(0).name, QStringLiteral("Bob: hello"));
    QCOMPARE(g_posted.at(1).role, QAccessible::Notification);

    // Another chat: where it came from too.
    m_b.client()->outbox()->sendText(*team, QStringLiteral("lunch?"));
    QVERIFY(spinUntil([] { return spoken().size() == 2; }, kWaitMs));
    QCOMPARE(spoken().last(), QStringLiteral("New message from Bob in Team: lunch?"));

    // Nothing for a muted chat or one's own message: only the marker after them is said.
    g_posted.clear();
    m_b.client()->outbox()->sendText(*quiet, QStringLiteral("psst"));
    m_a.send(QStringLiteral("mine"));
    QVERIFY(spinUntil([&] { return m_b.list()->rowOf(direct) >= 0; }, kWaitMs));
    QVERIFY(spinUntil(
        [&] {
            const int row = m_b.list()->rowOf(direct);
            return m_b.list()->index(row).data(ListRole::LastMessagePreviewRole).toString() ==
                   QStringLiteral("mine");
        },
        kWaitMs));
    m_b.client()->outbox()->sendText(m_aliceId, QStringLiteral("marker"));
    QVERIFY(spinUntil([] { return !spoken().isEmpty(); }, kWaitMs));
    QCOMPARE(spoken(), QStringList{QStringLiteral("Bob: marker")});
    QVERIFY(spinUntil(
        [&] {
            const int row = m_a.list()->rowOf(*quiet);
            return m_a.list()->index(row).data(ListRole::LastMessagePreviewRole).toString() ==
                   QStringLiteral("Bob: psst");
        },
        kWaitMs));
    QCOMPARE(spoken(), QStringList{QStringLiteral("Bob: marker")});

    // A burst is summed up, not read out one by one: every message is counted once.
    g_posted.clear();
    constexpr int kBurst = 6;
    for (int i = 1; i <= kBurst; ++i)
        m_b.client()->outbox()->sendText(*team, QStringLiteral("line %1").arg(i));
    const auto counted = [] {
        int total = 0;
        for (const QString &text : spoken()) {
            const int n = text.section(QLatin1Char(' '), 0, 0).toInt();
            total += text.endsWith(QLatin1String(" new messages in Team")) ? n : 1;
        }
        return total;
    };
    QVERIFY(spinUntil([&] { return counted() >= kBurst; }, kWaitMs));
    const QStringList burst = spoken();
    QCOMPARE(counted(), kBurst);
    QVERIFY2(burst.size() < kBurst / 2, qPrintable(burst.join(QLatin1Char('|'))));
    QVERIFY(burst.last().endsWith(QLatin1String(" new messages in Team")));
}

void TestAccessibility::photosAndFilesAreDescribed()
{
    const bool events = activateAccessibility();
    const QString direct = openDirectChat();
    QVERIFY(!direct.isEmpty());
    QImage picture(320, 200, QImage::Format_RGB32);
    picture.fill(QColor(40, 120, 200));
    const QString photo = m_dir->filePath(QStringLiteral("rack-photo.png"));
    QVERIFY(picture.save(photo));
    const QString budget = m_dir->filePath(QStringLiteral("budget.xlsx"));
    {
        QFile file(budget);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(QByteArray(2'380'000, 'x')), qint64(2'380'000));
    }
    g_posted.clear();
    m_b.client()->media()->sendFile(m_aliceId, photo);
    QVERIFY(!events || spinUntil([] { return !spoken().isEmpty(); }, kWaitMs));
    m_b.client()->media()->sendFile(m_aliceId, budget);

    // The rows of the open chat, as the view gives them to screen readers.
    QAbstractItemModel *rows = m_a.chat()->messageView()->model();
    const auto spokenRow = [&](const QString &kind) {
        for (int row = rows->rowCount() - 1; row >= 0; --row) {
            const QModelIndex index = rows->index(row, 0);
            if (index.data(MessageRole::KindRole).toString() == kind)
                return index.data(Qt::AccessibleTextRole).toString();
        }
        return QString();
    };
    QVERIFY(spinUntil(
        [&] {
            return !spokenRow(QStringLiteral("image")).isEmpty() &&
                   !spokenRow(QStringLiteral("file")).isEmpty();
        },
        kWaitMs));
    QVERIFY2(spokenRow(QStringLiteral("image")).endsWith(QStringLiteral(": Photo rack-photo.png")),
             qPrintable(spokenRow(QStringLiteral("image"))));
    QVERIFY2(
        spokenRow(QStringLiteral("file")).endsWith(QStringLiteral(": File budget.xlsx, 2.4 MB")),
        qPrintable(spokenRow(QStringLiteral("file"))));
    // And what the view's accessible rows say.
    QAccessibleInterface *view = QAccessible::queryAccessibleInterface(m_a.chat()->messageView());
    QVERIFY(view);
    QStringList dump, nameless;
    walk(view, 0, &dump, &nameless);
    QVERIFY2(dump.join(QLatin1Char('\n')).contains(QStringLiteral("File budget.xlsx, 2.4 MB")),
             qPrintable(dump.join(QLatin1Char('\n'))));
    // The announcement says it as well.
    if (!events)
        return;
    QVERIFY(spinUntil(
        [] { return spoken().join(QLatin1Char('|')).contains(QLatin1String("budget.xlsx")); },
        kWaitMs));
    QCOMPARE(spoken().first(), QStringLiteral("Bob: Photo rack-photo.png"));
    QCOMPARE(spoken().last(), QStringLiteral("Bob: File budget.xlsx, 2.4 MB"));
}

void TestAccessibility::everyInteractiveElementHasAName()
{
    const QString direct = openDirectChat();
    QVERIFY(!direct.isEmpty());
    m_b.client()->outbox()->sendText(m_aliceId, QStringLiteral("how are you?"));
    QVERIFY(
        spinUntil([&] { return m_a.chat()->messageView()->model()->rowCount() >= 2; }, kWaitMs));
    m_a.send(QStringLiteral("fine"));
    QVERIFY(
        spinUntil([&] { return m_a.chat()->messageView()->model()->rowCount() >= 3; }, kWaitMs));
    // The list filter with text, so its clear button is there, and a message found by it, so
    // the message results are there too.
    auto *filter = m_a.window()->conversationPane()->findChild<QLineEdit *>();
    QVERIFY(filter);
    filter->setText(QStringLiteral("how"));
    QVERIFY(spinUntil(
        [&] { return m_a.window()->conversationPane()->messageResults()->isVisible(); }, kWaitMs));
    m_a.chat()->showFindBar();

    QStringList dump, nameless;
    walk(QAccessible::queryAccessibleInterface(m_a.window()), 0, &dump, &nameless);
    if (!nameless.isEmpty()) {
        for (const QString &line : std::as_const(dump))
            qWarning("%s", qPrintable(line));
        for (const QString &line : std::as_const(nameless))
            qWarning("No accessible name: %s", qPrintable(line));
    }
    QVERIFY2(nameless.isEmpty(), "interactive elements without a name (tree dumped above)");

    // The emoji picker (its own popup window) names everything too: tabs, search, the grid.
    ui::Composer *composer = m_a.chat()->composer();
    composer->openEmojiPicker();
    QVERIFY(composer->emojiPicker()->isVisible());
    QStringList pickerDump, pickerNameless;
    walk(QAccessible::queryAccessibleInterface(composer->emojiPicker()), 0, &pickerDump,
         &pickerNameless);
    for (const QString &line : std::as_const(pickerNameless))
        qWarning("No accessible name in the emoji picker: %s", qPrintable(line));
    QVERIFY(pickerNameless.isEmpty());
    QVERIFY(pickerDump.join(QLatin1Char('\n')).contains(QStringLiteral("Smileys & emotion")));
    composer->emojiPicker()->hide();

    // The clear buttons say what they clear.
    const auto clearButtonName = [](QLineEdit *edit) {
        for (QToolButton *button : edit->findChildren<QToolButton *>()) {
            if (QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(button))
                return iface->text(QAccessible::Name);
        }
        return QString();
    };
    QCOMPARE(clearButtonName(filter), QStringLiteral("Clear search"));
    // The header's avatar and the list rows (presence, time, unread) have names too.
    auto *avatar = m_a.chat()->header()->findChild<QWidget *>(QStringLiteral("chatAvatar"));
    QVERIFY(avatar);
    QCOMPARE(QAccessible::queryAccessibleInterface(avatar)->text(QAccessible::Name),
             QStringLiteral("Avatar of Bob"));
    QVERIFY(spinUntil(
        [&] {
            const int row = m_a.list()->rowOf(direct);
            return m_a.list()
                ->index(row)
                .data(Qt::AccessibleTextRole)
                .toString()
                .startsWith(QStringLiteral("Bob, online, "));
        },
        kWaitMs));
    const int row = m_a.list()->rowOf(direct);
    const QString when = models::ConversationListModel::spokenWhen(
        m_a.list()->index(row).data(ListRole::LastActivityRole).toLongLong(),
        QDateTime::currentDateTime());
    const QString expected = QStringLiteral("Bob, online, last message, %1: You: fine").arg(when);
    QVERIFY2(spinUntil(
                 [&] {
                     return m_a.list()->index(row).data(Qt::AccessibleTextRole).toString() ==
                            expected;
                 },
                 kWaitMs),
             qPrintable(m_a.list()->index(row).data(Qt::AccessibleTextRole).toString()));

    // The connection banner, once shown, is named by what it says.
    m_server.reset();
    auto *banner = m_a.window()->findChild<QWidget *>(QStringLiteral("connectionBanner"));
    QVERIFY(banner);
    QVERIFY(spinUntil([&] { return banner->isVisible(); }, kWaitMs));
    const QString bannerName =
        QAccessible::queryAccessibleInterface(banner)->text(QAccessible::Name);
    QVERIFY(!bannerName.isEmpty());
    QCOMPARE(bannerName, qobject_cast<ui::ConnectionBanner *>(banner)->text());
}

QTEST_MAIN(TestAccessibility)
#include "tst_accessibility.moc"
