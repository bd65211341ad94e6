// The small things a new user notices (issue 16, item 10), driven through two real app windows
// (AppControllers with their own profiles) against a real ternd child process under
// QT_QPA_PLATFORM=offscreen: file and photo previews, sizes in decimal units, "You" in group
// events, the time a message was written offline, the quick switcher's filter after Enter and
// the people "New chat" offers before anything is typed.

#include "app/client/ChatClient.h"
#include "app/client/GroupRequests.h"
#include "app/client/MediaTransfers.h"
#include "app/client/Outbox.h"
#include "app/models/ConversationListModel.h"
#include "app/models/MessageListModel.h"
#include "app/models/MessageText.h"
#include "app/models/UserDirectory.h"
#include "app/ui/AppController.h"
#include "app/ui/ChatPane.h"
#include "app/ui/ConversationPane.h"
#include "app/ui/MainWindow.h"
#include "app/ui/MessageView.h"
#include "app/ui/NewChatDialog.h"
#include "shared/crypto/Crypto.h"
#include "tests/app/AppInstance.h"
#include "tests/app/AppPair.h"
#include "tests/app/AppTestAccount.h"
#include "tests/app/UiTextAudit.h"
#include "tests/support/ChildServer.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUtil.h"

#include <QApplication>
#include <QFile>
#include <QJsonDocument>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QTemporaryDir>
#include <QTest>

#include <qcoro/qcorotask.h>

#include <memory>

using namespace tern;
using namespace tern::app;
using tern::test::AppInstance;
using tern::test::signIn;
using tern::test::spinUntil;
using ListRole = models::ConversationListModel::Role;
using MessageRole = models::MessageListModel::Role;

namespace {

constexpr int kWaitMs = 15'000;

QString preview(const AppInstance &app, const QString &conversation)
{
    const int row = app.list()->rowOf(conversation);
    return row < 0 ? QString()
                   : app.list()->index(row).data(ListRole::LastMessagePreviewRole).toString();
}

//! The row of the open chat whose text is `text`, -1 when not (yet) there.
int rowWithText(models::MessageListModel *model, const QString &text)
{
    for (int row = 0; model && row < model->rowCount(); ++row) {
        if (model->index(row).data(MessageRole::TextRole).toString() == text)
            return row;
    }
    return -1;
}

//! Every text the window paints now.
QStringList paintedTexts(QWidget *window)
{
    test::detail::PaintedText painted(window->size());
    window->render(&painted);
    return painted.texts();
}

protocol::MessageEvent mediaMessage(const QString &kind, const QString &name,
                                    const QString &caption)
{
    protocol::MessageEvent message;
    message.kind = protocol::fromWireName<protocol::MessageKind>(kind).value();
    message.content = caption;
    message.media = protocol::Media{};
    message.media->mediaId = QStringLiteral("0123");
    message.media->name = name;
    message.media->size = 2'380'000;
    return message;
}

} // namespace

class TestAppDetails : public QObject, private test::AppPair
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void previewsNameFilesAndPhotos();
    void sizesInDecimalUnits();
    void fileRowShowsDecimalSize();
    void groupEventsSayYou();
    void offlineMessageKeepsTheTimeItWasWritten();
    void quickSwitcherClearsFilterOnceChosen();
    void newChatOffersRecentPeople();

private:
    void loginPair();
    QString openChatFromAToB(const QString &text);
    //! A third user, registered over a raw connection: (user id, user name).
    std::pair<QString, QString> registerCarol();

    std::unique_ptr<test::TestClient> m_raw;
};

void TestAppDetails::initTestCase()
{
    qputenv("TERN_NO_KEYCHAIN", "1");
    QVERIFY(crypto::initialize());
    ui::AppController::installTranslations(QStringLiteral("en"));
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestAppDetails::init()
{
    startServer();
}

void TestAppDetails::cleanup()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    m_raw.reset();
    closeAll();
}

void TestAppDetails::loginPair()
{
    signInPair();
}

QString TestAppDetails::openChatFromAToB(const QString &text)
{
    m_a.activate();
    m_a.window()->openDirectChat(m_bobId, QStringLiteral("Bob"));
    m_a.send(text);
    if (!spinUntil([&] { return !m_a.chat()->currentConversation().isEmpty(); }, kWaitMs))
        return QString();
    const QString chat = m_a.chat()->currentConversation();
    return spinUntil([&] { return m_b.list()->rowOf(chat) >= 0; }, kWaitMs) ? chat : QString();
}

std::pair<QString, QString> TestAppDetails::registerCarol()
{
    m_raw = std::make_unique<test::TestClient>();
    if (!m_raw->open(m_server->url()))
        return {};
    const QString user = QStringLiteral("carol%1").arg(m_round);
    const QJsonObject ack = m_raw->registerUser(user, test::kAppPassword, QStringLiteral("Carol"));
    return {ack.value(QStringLiteral("user_id")).toString(), user};
}

void TestAppDetails::previewsNameFilesAndPhotos()
{
    using models::MessageText;
    QCOMPARE(
        MessageText::summary(
            mediaMessage(QStringLiteral("file"), QStringLiteral("budget.xlsx"), QString()), {}),
        QStringLiteral("📎 budget.xlsx"));
    QCOMPARE(
        MessageText::summary(mediaMessage(QStringLiteral("file"), QStringLiteral("budget.xlsx"),
                                          QStringLiteral("Q3\nnumbers")),
                             {}),
        QStringLiteral("📎 budget.xlsx: Q3 numbers"));
    QCOMPARE(MessageText::summary(
                 mediaMessage(QStringLiteral("image"), QStringLiteral("rack.jpg"), QString()), {}),
             QStringLiteral("📷 Photo"));
    QCOMPARE(MessageText::summary(mediaMessage(QStringLiteral("image"), QStringLiteral("rack.jpg"),
                                               QStringLiteral("The new rack")),
                                  {}),
             QStringLiteral("📷 Photo: The new rack"));
}

void TestAppDetails::sizesInDecimalUnits()
{
    using models::MessageText;
    const QList<std::pair<qint64, QString>> english = {
        {0, QStringLiteral("0 bytes")},
        {1, QStringLiteral("1 byte")},
        {999, QStringLiteral("999 bytes")},
        {1000, QStringLiteral("1.0 kB")},
        {2'380'000, QStringLiteral("2.4 MB")},
        {9'940'000, QStringLiteral("9.9 MB")},
        {9'960'000, QStringLiteral("10 MB")},
        {24'400'000, QStringLiteral("24 MB")},
        {999'400, QStringLiteral("999 kB")},
        {999'960, QStringLiteral("1.0 MB")},
        {104'857'600, QStringLiteral("105 MB")},
        {10'737'418'240, QStringLiteral("11 GB")},
        {3'000'000'000'000, QStringLiteral("3.0 TB")}};
    for (const auto &[bytes, text] : english)
        QCOMPARE(MessageText::dataSize(bytes), text);
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    QCOMPARE(MessageText::dataSize(2'380'000), QStringLiteral("2,4 MB"));
    QCOMPARE(MessageText::dataSize(24'400'000), QStringLiteral("24 MB"));
}

void TestAppDetails::fileRowShowsDecimalSize()
{
    loginPair();
    const QString chat = openChatFromAToB(QStringLiteral("numbers coming"));
    QVERIFY(!chat.isEmpty());
    const QString path = m_dir->filePath(QStringLiteral("budget.xlsx"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.write(QByteArray(2'380'000, 'x')) == 2'380'000);
    file.close();
    m_a.client()->media()->sendFile(m_bobId, path);

    // Bob's list names the file; Alice's says it was hers.
    QVERIFY(
        spinUntil([&] { return preview(m_b, chat) == QStringLiteral("📎 budget.xlsx"); }, kWaitMs));
    QVERIFY(spinUntil([&] { return preview(m_a, chat) == QStringLiteral("You: 📎 budget.xlsx"); },
                      kWaitMs));

    // The bubble says 2.4 MB, as people read sizes, not 2.27 MiB.
    m_b.activate();
    QVERIFY(m_b.window()->openConversation(chat));
    QVERIFY(spinUntil(
        [&] {
            const QStringList texts = paintedTexts(m_b.window());
            return texts.contains(QStringLiteral("2.4 MB"));
        },
        kWaitMs));
    for (const QString &text : paintedTexts(m_b.window()))
        QVERIFY2(!text.contains(QStringLiteral("iB")), qPrintable(text));
}

void TestAppDetails::groupEventsSayYou()
{
    loginPair();
    QVERIFY(!openChatFromAToB(QStringLiteral("hi")).isEmpty());
    const auto [carolId, carol] = registerCarol();
    QVERIFY(!carolId.isEmpty());
    const Result<QString> created =
        QCoro::waitFor(m_a.client()->groups()->createGroup(QStringLiteral("Team"), {carolId}));
    QVERIFY(created);
    const QString group = *created;
    QVERIFY(spinUntil(
        [&] { return preview(m_a, group) == QStringLiteral("You created the group"); }, kWaitMs));
    const Status added = QCoro::waitFor(m_a.client()->groups()->addMembers(group, {m_bobId}));
    QVERIFY(added.ok());

    // Alice did it: "You …"; Bob was added: "… you".
    QVERIFY(
        spinUntil([&] { return preview(m_a, group) == QStringLiteral("You added Bob"); }, kWaitMs));
    QVERIFY(spinUntil([&] { return preview(m_b, group) == QStringLiteral("Alice added you"); },
                      kWaitMs));

    // The chat itself says the same.
    m_a.activate();
    QVERIFY(m_a.window()->openConversation(group));
    models::MessageListModel *messages = m_a.chat()->messageView()->messageModel();
    QVERIFY(spinUntil([&] { return rowWithText(messages, QStringLiteral("You added Bob")) >= 0; },
                      kWaitMs));
    QVERIFY(rowWithText(messages, QStringLiteral("You created the group")) >= 0);
    QCOMPARE(rowWithText(messages, QStringLiteral("Alice created the group")), -1);

    // Every event, from both sides (ids stand for names the directory does not know).
    using models::MessageText;
    const QHash<QString, QString> names{{QStringLiteral("ua"), QStringLiteral("Alice")},
                                        {QStringLiteral("ub"), QStringLiteral("Bob")},
                                        {QStringLiteral("uc"), QStringLiteral("Carol")}};
    const auto say = [&](const char *json, const char *me) {
        return MessageText::systemText(QString::fromUtf8(json), names, QString::fromUtf8(me));
    };
    QCOMPARE(say(R"({"event":"member_added","by":"ua","users":["ub","uc"]})", "ub"),
             QStringLiteral("Alice added you and Carol"));
    QCOMPARE(say(R"({"event":"member_removed","by":"ua","users":["ub"]})", "ua"),
             QStringLiteral("You removed Bob"));
    QCOMPARE(say(R"({"event":"member_removed","by":"ua","users":["ub"]})", "ub"),
             QStringLiteral("Alice removed you"));
    QCOMPARE(say(R"({"event":"member_removed","by":"ua","users":["ub"]})", "uc"),
             QStringLiteral("Alice removed Bob"));
    QCOMPARE(say(R"({"event":"member_left","by":"ub","users":["ub"]})", "ub"),
             QStringLiteral("You left"));
    QCOMPARE(say(R"({"event":"member_left","by":"ub","users":["ub"]})", "ua"),
             QStringLiteral("Bob left"));
    QCOMPARE(say(R"({"event":"renamed","by":"ua","name":"Ops"})", "ua"),
             QStringLiteral("You renamed the group to \"Ops\""));
    QCOMPARE(say(R"({"event":"role_changed","by":"ua","users":["ub"],"role":"admin"})", "ua"),
             QStringLiteral("You changed the role of Bob"));
    QCOMPARE(say(R"({"event":"role_changed","by":"ua","users":["ub"],"role":"admin"})", "ub"),
             QStringLiteral("Alice changed your role"));
}

void TestAppDetails::offlineMessageKeepsTheTimeItWasWritten()
{
    loginPair();
    const QString chat = openChatFromAToB(QStringLiteral("first"));
    QVERIFY(!chat.isEmpty());

    // Written while the server is away: the pending row shows when it was written.
    m_server->kill();
    QVERIFY(spinUntil(
        [&] {
            return m_a.client()->connection()->state() != client::ChatConnection::State::Online;
        },
        kWaitMs));
    const QString text = QStringLiteral("written offline");
    m_a.send(text);
    models::MessageListModel *aMessages = m_a.chat()->messageView()->messageModel();
    QVERIFY(spinUntil([&] { return rowWithText(aMessages, text) >= 0; }, kWaitMs));
    const qint64 written = aMessages->index(rowWithText(aMessages, text))
                               .data(MessageRole::TimestampRole)
                               .toLongLong();
    QVERIFY(written > 0);

    // The app restarts (the outbox keeps the time), then the server comes back and it is sent.
    m_a.close();
    m_a.launch(m_dir->filePath(QStringLiteral("profile-a")));
    QVERIFY(m_a.session());
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    m_a.client()->connection()->retryNow();
    m_b.client()->connection()->retryNow();

    // Bob sees it dated when Alice wrote it, although the server stored it later.
    QVERIFY(spinUntil([&] { return preview(m_b, chat) == text; }, kWaitMs));
    const auto stored = test::take(m_b.session()->store()->messages(chat, 0, 10));
    QVERIFY(stored);
    qint64 serverTs = 0;
    for (const protocol::MessageEvent &message : *stored) {
        if (message.content == text) {
            QCOMPARE(message.ts, written); // sent as the message's ts
            serverTs = message.serverTs;
        }
    }
    QVERIFY2(serverTs > written, "the server stored it after it was written");
    // The chat list dates it the same way as the bubble.
    QCOMPARE(m_b.list()
                 ->index(m_b.list()->rowOf(chat))
                 .data(models::ConversationListModel::LastActivityRole)
                 .toLongLong(),
             written);
    m_b.activate();
    QVERIFY(m_b.window()->openConversation(chat));
    models::MessageListModel *bMessages = m_b.chat()->messageView()->messageModel();
    QVERIFY(spinUntil([&] { return rowWithText(bMessages, text) >= 0; }, kWaitMs));
    QCOMPARE(bMessages->index(rowWithText(bMessages, text))
                 .data(MessageRole::TimestampRole)
                 .toLongLong(),
             written);

    // Alice's own copy, read back from her cache after another restart, says the same.
    QVERIFY(spinUntil(
        [&] {
            const auto outbox = test::take(m_a.session()->store()->outbox());
            return outbox && outbox->isEmpty();
        },
        kWaitMs));
    m_a.close();
    m_a.launch(m_dir->filePath(QStringLiteral("profile-a")));
    QVERIFY(spinUntil([&] { return m_a.list()->rowOf(chat) >= 0; }, kWaitMs));
    QVERIFY(m_a.window()->openConversation(chat));
    aMessages = m_a.chat()->messageView()->messageModel();
    QVERIFY(spinUntil([&] { return rowWithText(aMessages, text) >= 0; }, kWaitMs));
    QCOMPARE(aMessages->index(rowWithText(aMessages, text))
                 .data(MessageRole::TimestampRole)
                 .toLongLong(),
             written);
}

void TestAppDetails::quickSwitcherClearsFilterOnceChosen()
{
    loginPair();
    const QString chat = openChatFromAToB(QStringLiteral("hello"));
    QVERIFY(!chat.isEmpty());
    const Result<QString> group =
        QCoro::waitFor(m_a.client()->groups()->createGroup(QStringLiteral("Team"), {m_bobId}));
    QVERIFY(group);
    QVERIFY(spinUntil([&] { return m_a.list()->rowOf(*group) >= 0; }, kWaitMs));
    QVERIFY(m_a.window()->openConversation(*group));

    // Ctrl+K, type, Enter: Bob's chat opens and the whole list is back.
    m_a.activate();
    ui::ConversationPane *pane = m_a.window()->conversationPane();
    QTest::keyClick(m_a.window(), Qt::Key_K, Qt::ControlModifier);
    QVERIFY(spinUntil([&] { return pane->filterEdit()->hasFocus(); }, kWaitMs));
    QTest::keyClicks(pane->filterEdit(), QStringLiteral("Bob"));
    QVERIFY(spinUntil([&] { return pane->listView()->model()->rowCount() == 1; }, kWaitMs));
    QTest::keyClick(pane->filterEdit(), Qt::Key_Return);
    QVERIFY(spinUntil([&] { return m_a.chat()->currentConversation() == chat; }, kWaitMs));
    QCOMPARE(pane->filterEdit()->text(), QString());
    QCOMPARE(pane->listView()->model()->rowCount(), 2);
    QCOMPARE(pane->listView()->currentIndex().data(ListRole::ConversationIdRole).toString(), chat);
}

void TestAppDetails::newChatOffersRecentPeople()
{
    loginPair();
    QVERIFY(!openChatFromAToB(QStringLiteral("hello Bob")).isEmpty());
    const auto [carolId, carol] = registerCarol();
    QVERIFY(!carolId.isEmpty());
    // The chat with Carol is the most recent one: she comes first.
    m_a.client()->outbox()->sendText(carolId, QStringLiteral("hello Carol"));
    QVERIFY(spinUntil(
        [&] {
            return m_a.list()->rowCount() == 2 &&
                   m_a.list()->index(0).data(ListRole::NameRole).toString() ==
                       QStringLiteral("Carol");
        },
        kWaitMs));
    QVERIFY(spinUntil([&] { return m_a.session()->users()->isKnown(carolId); }, kWaitMs));

    // Ctrl+N: before a key is typed, the dialog lists the people of recent chats.
    m_a.activate();
    QTest::keyClick(m_a.window(), Qt::Key_N, Qt::ControlModifier);
    ui::NewChatDialog *dialog = nullptr;
    QVERIFY(spinUntil(
        [&] {
            dialog = m_a.window()->findChild<ui::NewChatDialog *>();
            return dialog && dialog->isVisible();
        },
        kWaitMs));
    auto *results = dialog->findChild<QListWidget *>(QStringLiteral("userSearchResults"));
    QVERIFY(results);
    QCOMPARE(results->count(), 2);
    QCOMPARE(results->item(0)->text(), QStringLiteral("Carol  @%1").arg(carol));
    QCOMPARE(results->item(1)->text(), QStringLiteral("Bob  @bob%1").arg(m_round));
    QCOMPARE(results->currentRow(), 0);

    // The arrow keys choose (Bob, second), Enter opens that chat.
    auto *field = dialog->findChild<QLineEdit *>(QStringLiteral("userSearchField"));
    QVERIFY(field);
    QTest::keyClick(field, Qt::Key_Down);
    QTest::keyClick(field, Qt::Key_Return);
    const QString bobChat = m_a.list()->index(1).data(ListRole::ConversationIdRole).toString();
    QVERIFY(spinUntil([&] { return m_a.chat()->currentConversation() == bobChat; }, kWaitMs));
}

QTEST_MAIN(TestAppDetails)
#include "tst_appdetails.moc"
