// Mentions and the server search group in the app (issue 19), two app instances against a real
// ternd: Alice types "@Bo" in a group, picks Bob by keyboard from the completion list, and the
// message goes out as markup with Bob's id in `mentions`; both apps show "@Bob" (never the
// markup), Bob's bubble highlights it strongly, his chat list shows the "@" badge until he reads
// the chat, and his muted chat still notifies him of a mention (not of other messages). The
// search box's "On the server" group finds messages this device has not cached, pages with
// "More", and Enter on a hit opens the chat at that message.

#include "app/cache/LocalStore.h"
#include "app/client/ChatClient.h"
#include "app/client/GroupRequests.h"
#include "app/client/Inbox.h"
#include "app/client/Outbox.h"
#include "app/models/ConversationListModel.h"
#include "app/models/MessageListModel.h"
#include "app/models/MessageSearchModel.h"
#include "app/models/MessageText.h"
#include "app/session/AccountSession.h"
#include "app/ui/Announcer.h"
#include "app/ui/AppController.h"
#include "app/ui/ChatPane.h"
#include "app/ui/Composer.h"
#include "app/ui/MainWindow.h"
#include "app/ui/MentionCompleter.h"
#include "app/ui/MessageDelegate.h"
#include "app/ui/MessageView.h"
#include "app/ui/TrayNotifier.h"
#include "shared/crypto/Crypto.h"
#include "tests/app/AppInstance.h"
#include "tests/app/AppPair.h"
#include "tests/support/TestUtil.h"

#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

using namespace tern;
using namespace tern::app;
using models::ConversationListModel;
using models::MessageListModel;
using models::MessageSearchModel;
using test::spinUntil;

namespace {
constexpr int kWaitMs = 30'000;

QModelIndex lastRow(ui::MessageView *view)
{
    QAbstractItemModel *model = view->model();
    return model && model->rowCount() > 0 ? model->index(model->rowCount() - 1, 0) : QModelIndex();
}

template <typename T> T take(QFuture<T> future)
{
    future.waitForFinished(); // the cache's own thread answers
    return future.result();
}
} // namespace

class TestAppMentions : public QObject, private test::AppPair
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init() { startServer(); }
    void cleanup() { closeAll(); }
    void completerTokens();
    void mentionByKeyboardHighlightAndBadge();
    void mutedChatStillNotifiesAMention();
    void serverSearchFindsWhatIsNotCachedAndJumps();

private:
    //! Alice's group "Team" with Bob, in both lists.
    QString teamWithBob();
    int mentionBadge(test::AppInstance &app, const QString &chat) const
    {
        const int row = app.list()->rowOf(chat);
        return row < 0
                   ? -1
                   : app.list()->index(row).data(ConversationListModel::UnreadMentionsRole).toInt();
    }
};

void TestAppMentions::initTestCase()
{
    qputenv("TERN_NO_KEYCHAIN", "1");
    QVERIFY(crypto::initialize());
    ui::AppController::installTranslations(QStringLiteral("en"));
}

QString TestAppMentions::teamWithBob()
{
    signInPair();
    const Result<QString> created =
        QCoro::waitFor(m_a.client()->groups()->createGroup(QStringLiteral("Team"), {m_bobId}));
    if (!created)
        return QString();
    const QString group = *created;
    if (!spinUntil([&] { return m_a.list()->rowOf(group) >= 0 && m_b.list()->rowOf(group) >= 0; },
                   kWaitMs))
        return QString();
    return group;
}

void TestAppMentions::completerTokens()
{
    // The composer alone: what the completion offers, and which text becomes markup.
    ui::Composer composer;
    composer.resize(400, 300);
    composer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&composer));
    ui::MentionCompleter *completer = composer.mentions();
    completer->setCandidates({{QStringLiteral("u1"), QStringLiteral("Ann")},
                              {QStringLiteral("u2"), QStringLiteral("Ann\nLee")},
                              {QStringLiteral("u3"), QStringLiteral("Zoe Smith")}});
    QPlainTextEdit *edit = composer.editor();
    composer.focusEditor();
    QTRY_VERIFY(edit->hasFocus());
    // Not in the middle of a word (an e-mail address).
    QTest::keyClicks(edit, QStringLiteral("mail a@"));
    QVERIFY(!completer->isOpen());
    composer.setDraft(QString());
    // Any word of a name; the list sorted by name; a name is one line.
    QTest::keyClicks(edit, QStringLiteral("@smi"));
    QTRY_VERIFY(completer->isOpen());
    QCOMPARE(completer->popup()->count(), 1);
    // Right above the editor, also after the window changed its size.
    auto aboveEditor = [&] {
        const QRect list = completer->popup()->geometry();
        return list.y() + list.height() == edit->mapTo(&composer, QPoint(0, 0)).y();
    };
    QVERIFY(aboveEditor());
    composer.resize(500, 400);
    QTRY_VERIFY(aboveEditor());
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTRY_COMPARE(completer->popup()->count(), 3);
    QCOMPARE(completer->popup()->item(1)->text(), QStringLiteral("Ann Lee"));
    // Up from the first row wraps to the last; Enter picks.
    QTest::keyClicks(edit, QStringLiteral("an"));
    QTRY_COMPARE(completer->popup()->count(), 2);
    QTest::keyClick(edit, Qt::Key_Up);
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(edit->toPlainText(), QStringLiteral("@Ann Lee "));
    QTest::keyClicks(edit, QStringLiteral("and @A"));
    QTRY_VERIFY(completer->isOpen());
    QTest::keyClick(edit, Qt::Key_Return);
    // The longer name wins where both fit; typed text that looks like a token is not one.
    QCOMPARE(composer.draft(), QStringLiteral("<@u2> and <@u1> "));
    QTest::keyClicks(edit, QStringLiteral("@Zoe Smith"));
    QTest::keyClick(edit, Qt::Key_Escape);
    QCOMPARE(composer.draft(), QStringLiteral("<@u2> and <@u1> @Zoe Smith"));
    // A token edited by hand is plain text.
    QTest::keyClick(edit, Qt::Key_Home);
    QTest::keyClick(edit, Qt::Key_Delete);
    QCOMPARE(composer.draft(), QStringLiteral("Ann Lee and <@u1> @Zoe Smith"));
    // A draft with markup comes back as names, its mentions tokens again.
    composer.setDraft(QStringLiteral("hi <@u3>, <@u9>"));
    QCOMPARE(edit->toPlainText(), QStringLiteral("hi @Zoe Smith, @unknown user"));
    QCOMPARE(composer.draft(), QStringLiteral("hi <@u3>, @unknown user"));
    // Sending carries the markup.
    QSignalSpy sent(&composer, &ui::Composer::sendRequested);
    composer.send();
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.first().at(0).toString(), QStringLiteral("hi <@u3>, @unknown user"));
    QVERIFY(!completer->isOpen());
}

void TestAppMentions::mentionByKeyboardHighlightAndBadge()
{
    const QString group = teamWithBob();
    QVERIFY(!group.isEmpty());
    QSignalSpy notified(m_b.controller->tray(), &ui::TrayNotifier::notified);
    QSignalSpy received(m_b.client()->inbox(), &client::Inbox::messageReceived);
    m_a.activate();
    QVERIFY(m_a.window()->openConversation(group));
    ui::Composer *composer = m_a.chat()->composer();
    ui::MentionCompleter *completer = composer->mentions();
    QPlainTextEdit *edit = composer->editor();
    composer->focusEditor();
    QTRY_VERIFY(edit->hasFocus());

    // "@" lists the members (Bob, never ourselves); typing narrows, Esc closes for this "@".
    QTest::keyClicks(edit, QStringLiteral("Hi @"));
    QTRY_VERIFY(completer->isOpen());
    QListWidget *popup = completer->popup();
    QCOMPARE(popup->objectName(), QStringLiteral("mentionPopup"));
    // (Bob's name may still be on its way from the server.)
    QTRY_VERIFY(popup->count() == 1 && popup->item(0)->text() == QStringLiteral("Bob"));
    QVERIFY(!popup->hasFocus());
    QTest::keyClick(edit, Qt::Key_Escape);
    QVERIFY(!completer->isOpen());
    QVERIFY(edit->hasFocus()); // Esc closed the list, not the composer
    QTest::keyClicks(edit, QStringLiteral("x"));
    QVERIFY(!completer->isOpen()); // still the dismissed "@"
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, QStringLiteral("@Bo"));
    QTRY_VERIFY(completer->isOpen());
    QTest::keyClicks(edit, QStringLiteral("z"));
    QVERIFY(!completer->isOpen()); // nobody is called "Boz"
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTRY_VERIFY(completer->isOpen());
    test::saveShot(m_a.window(), QStringLiteral("mention-popup.png"));
    QTest::keyClick(edit, Qt::Key_Down); // wraps around the one row
    QCOMPARE(popup->currentRow(), 0);
    QTest::keyClick(edit, Qt::Key_Tab); // picks, does not leave the editor
    QVERIFY(!completer->isOpen());
    QVERIFY(edit->hasFocus());
    QCOMPARE(edit->toPlainText(), QStringLiteral("Hi @Bob "));
    QCOMPARE(composer->draft(), QStringLiteral("Hi <@%1> ").arg(m_bobId));
    QTest::keyClicks(edit, QStringLiteral("look"));
    QTest::keyClick(edit, Qt::Key_Return);
    QTRY_VERIFY(edit->toPlainText().isEmpty());

    // Alice's bubble: the name, highlighted as a mention of someone else.
    ui::MessageView *view = m_a.chat()->messageView();
    QTRY_COMPARE_WITH_TIMEOUT(lastRow(view).data(MessageListModel::TextRole).toString(),
                              QStringLiteral("Hi @Bob look"), kWaitMs);
    const QVariantList spans = lastRow(view).data(MessageListModel::MentionSpansRole).toList();
    QCOMPARE(spans.size(), 1);
    QCOMPARE(spans.first().toMap().value(QStringLiteral("userId")).toString(), m_bobId);
    QVERIFY(!spans.first().toMap().value(QStringLiteral("me")).toBool());
    QCOMPARE(lastRow(view).data(MessageListModel::MentionsRole).toStringList(),
             QStringList{m_bobId});
    QVERIFY(!lastRow(view).data(MessageListModel::MentionsMeRole).toBool());
    const QList<QTextLayout::FormatRange> own =
        ui::MessageDelegate::mentionRanges(lastRow(view), view->palette());
    QCOMPARE(own.size(), 1);
    QCOMPARE(own.first().start, 3);
    QCOMPARE(own.first().length, 4);
    QVERIFY(own.first().format.background().style() == Qt::NoBrush);

    // Bob: the list's preview shows the name, the "@" badge is there, he is notified.
    QVERIFY(spinUntil([&] { return mentionBadge(m_b, group) == 1; }, kWaitMs));
    const QModelIndex bobRow = m_b.list()->index(m_b.list()->rowOf(group));
    QCOMPARE(bobRow.data(ConversationListModel::LastMessagePreviewRole).toString(),
             QStringLiteral("Alice: Hi @Bob look"));
    QVERIFY(bobRow.data(Qt::AccessibleTextRole)
                .toString()
                .contains(QStringLiteral("you were mentioned")));
    QVERIFY(spinUntil([&] { return !notified.isEmpty(); }, kWaitMs));
    // On the wire: the markup in the content, Bob's id in `mentions`.
    QCOMPARE(received.size(), 1);
    const auto event = received.first().at(0).value<protocol::MessageEvent>();
    QCOMPARE(event.content, QStringLiteral("Hi <@%1> look").arg(m_bobId));
    QCOMPARE(event.mentions, QStringList{m_bobId});
    QCOMPARE(notified.last().at(1).toString(), QStringLiteral("Alice mentioned you in Team"));
    QCOMPARE(notified.last().at(2).toString(), QStringLiteral("Hi @Bob look"));
    QCOMPARE(take(m_b.session()->store()->unreadMentions())->value(group), 1);
    test::saveShot(m_b.window(), QStringLiteral("mention-badge.png"));

    // Bob reads the chat: his bubble highlights the mention strongly, the badge goes (also in
    // the cache, so a restart does not bring it back).
    m_b.activate();
    QVERIFY(m_b.window()->openConversation(group));
    ui::MessageView *bobView = m_b.chat()->messageView();
    QTRY_COMPARE_WITH_TIMEOUT(lastRow(bobView).data(MessageListModel::TextRole).toString(),
                              QStringLiteral("Hi @Bob look"), kWaitMs);
    const QVariantList bobSpans =
        lastRow(bobView).data(MessageListModel::MentionSpansRole).toList();
    QCOMPARE(bobSpans.size(), 1);
    QVERIFY(bobSpans.first().toMap().value(QStringLiteral("me")).toBool());
    QVERIFY(lastRow(bobView).data(MessageListModel::MentionsMeRole).toBool());
    const QList<QTextLayout::FormatRange> mine =
        ui::MessageDelegate::mentionRanges(lastRow(bobView), bobView->palette());
    QCOMPARE(mine.size(), 1);
    QVERIFY(mine.first().format.background().style() != Qt::NoBrush);
    QVERIFY(spinUntil([&] { return mentionBadge(m_b, group) == 0; }, kWaitMs));
    QVERIFY(
        spinUntil([&] { return take(m_b.session()->store()->unreadMentions())->value(group) == 0; },
                  kWaitMs));
    test::saveShot(m_b.window(), QStringLiteral("mention-highlight.png"));
}

void TestAppMentions::mutedChatStillNotifiesAMention()
{
    const QString group = teamWithBob();
    QVERIFY(!group.isEmpty());
    m_b.list()->setMuted(group, true);
    m_b.activate(); // Bob's window is active (no chat open): the screen reader hears him too
    QSignalSpy notified(m_b.controller->tray(), &ui::TrayNotifier::notified);
    QSignalSpy announced(m_b.window()->announcer(), &ui::Announcer::announced);
    QSignalSpy received(m_b.client()->inbox(), &client::Inbox::messageReceived);

    m_a.client()->outbox()->sendText(group, QStringLiteral("quiet one"));
    QVERIFY(received.wait(kWaitMs));
    // The next message arrives after any notification of this one would have been decided.
    cache::MessageOptions options;
    options.mentions = {m_bobId};
    m_a.client()->outbox()->sendText(
        group, QStringLiteral("%1 wake up").arg(models::MessageText::mentionMarkup(m_bobId)),
        options);
    QVERIFY(spinUntil([&] { return !notified.isEmpty(); }, kWaitMs));
    QCOMPARE(notified.size(), 1);
    QCOMPARE(notified.first().at(0).toString(), group);
    QCOMPARE(notified.first().at(2).toString(), QStringLiteral("@Bob wake up"));
    QCOMPARE(mentionBadge(m_b, group), 1);
    QTRY_COMPARE_WITH_TIMEOUT(announced.size(), 1, kWaitMs);
    QCOMPARE(announced.first().at(0).toString(),
             QStringLiteral("New message from Alice in Team: @Bob wake up"));
    // Muted: no count toward the app's unread total, but the mention shows.
    QCOMPARE(m_b.list()->totalUnread(), 0);
}

void TestAppMentions::serverSearchFindsWhatIsNotCachedAndJumps()
{
    signInPair();
    const QString alice = m_a.client()->connection()->userId();
    constexpr int kHits = 25; // more than a server page (20)
    for (int i = 1; i <= kHits; ++i)
        m_b.client()->outbox()->sendText(alice, QStringLiteral("zeppelin trip %1").arg(i));
    m_b.client()->outbox()->sendText(alice, QStringLiteral("the newest"));
    QString chat;
    QVERIFY(spinUntil(
        [&] {
            if (m_a.list()->rowCount() == 0)
                return false;
            chat = m_a.list()->summary(0).conversation;
            const Result<qint64> max = take(m_a.session()->store()->maxSeq(chat));
            return max.ok() && *max == kHits + 1;
        },
        60'000));
    m_a.list()->markRead(chat, kHits + 1, 0);
    {
        // Alice's device lost them (as if it had never loaded them): only the server has them.
        const QString name = QStringLiteral("mentions-test-raw");
        {
            QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            raw.setDatabaseName(m_a.session()->store()->path());
            raw.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
            QVERIFY(raw.open());
            QSqlQuery gap(raw);
            gap.prepare(QStringLiteral("DELETE FROM messages WHERE conversation = ? AND seq <= ?"));
            gap.addBindValue(chat);
            gap.addBindValue(kHits);
            QVERIFY2(gap.exec(), qPrintable(gap.lastError().text()));
            QCOMPARE(gap.numRowsAffected(), kHits);
        }
        QSqlDatabase::removeDatabase(name);
    }

    m_a.activate();
    auto *filter = m_a.find<QLineEdit>(QStringLiteral("conversationFilter"));
    auto *results = m_a.window()->findChild<QListView *>(QStringLiteral("messageResults"));
    QVERIFY(filter && results);
    auto *search = qobject_cast<MessageSearchModel *>(results->model());
    QVERIFY(search);
    QSignalSpy local(search, &MessageSearchModel::searchFinished);
    QSignalSpy server(search, &MessageSearchModel::serverSearchFinished);
    filter->setFocus();
    QTest::keyClicks(filter, QStringLiteral("zeppel"));
    QTRY_VERIFY_WITH_TIMEOUT(!server.isEmpty(), kWaitMs);
    QCOMPARE(search->hitCount(), 0); // nothing cached
    QTRY_VERIFY(results->isVisible());
    // "On the server", a page of 20 hits, "More".
    QCOMPARE(search->serverHitCount(), 20);
    QCOMPARE(search->rowCount(), 22);
    const QModelIndex header = search->index(0, 0);
    QVERIFY(header.data(MessageSearchModel::IsHeaderRole).toBool());
    QCOMPARE(header.data().toString(), QStringLiteral("On the server"));
    const QModelIndex first = search->index(1, 0);
    QVERIFY(first.data(MessageSearchModel::IsServerRole).toBool());
    QCOMPARE(first.data(MessageSearchModel::SenderNameRole).toString(),
             QStringLiteral("Bob in Bob"));
    QVERIFY(first.data(MessageSearchModel::SnippetRole)
                .toString()
                .contains(QStringLiteral("\x02zeppelin\x03")));
    const QModelIndex more = search->index(21, 0);
    QVERIFY(more.data(MessageSearchModel::IsMoreRole).toBool());

    // "More" by keyboard: the rest, and no further "More".
    results->setFocus();
    results->setCurrentIndex(more);
    QTest::keyClick(results, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(server.size(), 2, kWaitMs);
    QCOMPARE(search->serverHitCount(), kHits);
    QCOMPARE(search->rowCount(), kHits + 1);
    QVERIFY(!search->index(kHits, 0).data(MessageSearchModel::IsMoreRole).toBool());

    // Enter on a hit opens the chat there (paged from the server).
    const QModelIndex hit = search->index(1, 0);
    const qint64 seq = hit.data(MessageSearchModel::SeqRole).toLongLong();
    QVERIFY(seq >= 1 && seq <= kHits);
    QSignalSpy shown(m_a.chat(), &ui::ChatPane::messageShown);
    results->setCurrentIndex(hit);
    QTest::keyClick(results, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 1, kWaitMs);
    QCOMPARE(m_a.chat()->currentConversation(), chat);
    QCOMPARE(shown.first().at(1).toLongLong(), seq);
    QVERIFY(shown.first().at(2).toBool());
    QCOMPARE(m_a.chat()->messageView()->currentIndex().data(MessageListModel::SeqRole).toLongLong(),
             seq);
}

QTEST_MAIN(TestAppMentions)
#include "tst_appmentions.moc"
