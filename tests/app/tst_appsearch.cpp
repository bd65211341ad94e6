// Message search in the app (issue 19), driving the real widgets against a real ternd: a
// message 300 messages back (not loaded in the chat's view) is found from the one search box,
// shown as text with the matched word highlighted (markup in it stays literal), and Enter opens
// the chat scrolled to it, selected, paging the history in between from the server where the
// cache lacks it; Ctrl+F in the chat finds it through the same index and pages back to it.

#include "app/cache/LocalStore.h"
#include "app/client/ChatClient.h"
#include "app/client/Outbox.h"
#include "app/models/ConversationListModel.h"
#include "app/models/MessageListModel.h"
#include "app/models/MessageSearchModel.h"
#include "app/session/AccountSession.h"
#include "app/ui/AppController.h"
#include "app/ui/ChatPane.h"
#include "app/ui/ConversationPane.h"
#include "app/ui/FindBar.h"
#include "app/ui/MainWindow.h"
#include "app/ui/MessageDelegate.h"
#include "app/ui/MessageView.h"
#include "app/ui/SearchResultDelegate.h"
#include "shared/crypto/Crypto.h"
#include "tests/app/AppInstance.h"
#include "tests/app/AppPair.h"
#include "tests/support/TestUtil.h"

#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

using namespace tern;
using namespace tern::app;
using models::MessageListModel;
using models::MessageSearchModel;

namespace {
constexpr int kWaitMs = 30'000;
constexpr int kLater = 300; // messages sent after the one searched for
const QString kOld = QStringLiteral("Plan the zeppelin trip <b>x</b> & more");

//! What the view showed when the pane said the message was on screen.
struct Landing
{
    qint64 seq = -1;
    bool found = false;
    bool selected = false;
    bool visible = false;
};
} // namespace

class TestAppSearch : public QObject, private test::AppPair
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init() { startServer(); }
    void cleanup() { closeAll(); }
    void searchBoxFindsAnOldMessageAndEnterShowsIt();
    void findBarFindsAMessageNotLoaded();

private:
    //! Bob sends kOld and then kLater more to Alice, who has them all in her cache and has read
    //! them (so her chat opens at its newest page). Returns the conversation.
    QString oldMessageFarBack();
    //! Records the view's state at each ChatPane::messageShown.
    void watchLanding(Landing *landing);
};

void TestAppSearch::initTestCase()
{
    qputenv("TERN_NO_KEYCHAIN", "1");
    QVERIFY(crypto::initialize());
    ui::AppController::installTranslations(QStringLiteral("en"));
}

QString TestAppSearch::oldMessageFarBack()
{
    signInPair();
    const QString alice = m_a.client()->connection()->userId();
    m_b.client()->outbox()->sendText(alice, kOld);
    for (int i = 1; i <= kLater; ++i)
        m_b.client()->outbox()->sendText(alice, QStringLiteral("filler message %1").arg(i));
    models::ConversationListModel *list = m_a.list();
    QString chat;
    const bool arrived = test::spinUntil(
        [&] {
            if (list->rowCount() == 0)
                return false;
            chat = list->summary(0).conversation;
            const Result<qint64> max = [&] {
                QFuture<Result<qint64>> f = m_a.session()->store()->maxSeq(chat);
                f.waitForFinished();
                return f.result();
            }();
            return max.ok() && *max == kLater + 1;
        },
        60'000);
    if (!arrived)
        return QString();
    list->markRead(chat, kLater + 1, 0);
    return chat;
}

void TestAppSearch::watchLanding(Landing *landing)
{
    ui::MessageView *view = m_a.chat()->messageView();
    connect(m_a.chat(), &ui::ChatPane::messageShown, this,
            [view, landing](const QString &, qint64 seq, bool found) {
                const QModelIndex current = view->currentIndex();
                landing->seq = current.data(MessageListModel::SeqRole).toLongLong();
                landing->found = found && landing->seq == seq;
                landing->selected = view->selectionModel()->isSelected(current);
                landing->visible = view->viewport()->rect().intersects(view->visualRect(current));
            });
}

void TestAppSearch::searchBoxFindsAnOldMessageAndEnterShowsIt()
{
    const QString chat = oldMessageFarBack();
    QVERIFY(!chat.isEmpty());
    {
        // Most of the history between it and the newest page is not in the cache (pages never
        // loaded): the jump must get those pages from the server.
        const QString name = QStringLiteral("search-test-raw");
        {
            QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            raw.setDatabaseName(m_a.session()->store()->path());
            raw.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
            QVERIFY(raw.open());
            QSqlQuery gap(raw);
            gap.prepare(QStringLiteral(
                "DELETE FROM messages WHERE conversation = ? AND seq BETWEEN 2 AND 250"));
            gap.addBindValue(chat);
            QVERIFY2(gap.exec(), qPrintable(gap.lastError().text()));
            QCOMPARE(gap.numRowsAffected(), 249);
        }
        QSqlDatabase::removeDatabase(name);
    }
    Landing landing;
    watchLanding(&landing);
    m_a.activate();
    auto *filter = m_a.find<QLineEdit>(QStringLiteral("conversationFilter"));
    // Hidden until something is found.
    auto *results = m_a.window()->findChild<QListView *>(QStringLiteral("messageResults"));
    auto *title = m_a.window()->findChild<QLabel *>(QStringLiteral("messageResultsTitle"));
    QVERIFY(filter && results && title);
    QVERIFY(!results->isVisible());
    filter->setFocus();
    QTest::keyClicks(filter, QStringLiteral("zeppel"));

    // One chat header ("Bob"), one hit: sender, time and the snippet with its match marked.
    QTRY_VERIFY_WITH_TIMEOUT(results->isVisible(), kWaitMs);
    QVERIFY(title->isVisible());
    QAbstractItemModel *model = results->model();
    QCOMPARE(model->rowCount(), 2);
    QVERIFY(model->index(0, 0).data(MessageSearchModel::IsHeaderRole).toBool());
    QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("Bob"));
    const QModelIndex hit = model->index(1, 0);
    QCOMPARE(hit.data(MessageSearchModel::SeqRole).toLongLong(), qint64(1));
    QCOMPARE(hit.data(MessageSearchModel::SenderNameRole).toString(), QStringLiteral("Bob"));
    QCOMPARE(hit.data(MessageSearchModel::SnippetRole).toString(),
             QStringLiteral("Plan the \x02zeppelin\x03 trip <b>x</b> & more"));
    // Markup in a message is text: drawn as those characters, only the match highlighted.
    QList<QTextLayout::FormatRange> ranges;
    const QString line = ui::SearchResultDelegate::snippetLine(
        hit.data(MessageSearchModel::SnippetRole).toString(), results->fontMetrics(), 10'000,
        &ranges, QTextCharFormat());
    QCOMPARE(line, QStringLiteral("Plan the zeppelin trip <b>x</b> & more"));
    QCOMPARE(ranges.size(), 1);
    QCOMPARE(line.mid(ranges.first().start, ranges.first().length), QStringLiteral("zeppelin"));
    QVERIFY(hit.data(Qt::AccessibleTextRole).toString().startsWith(QStringLiteral("Bob, ")));
    QVERIFY(hit.data(Qt::AccessibleTextRole)
                .toString()
                .endsWith(QStringLiteral(": Plan the zeppelin trip <b>x</b> & more")));
    QVERIFY(!results->viewport()->grab().isNull()); // paints

    // Down from the box (no chat is named so) selects the hit; Enter shows it in its chat.
    QTest::keyClick(filter, Qt::Key_Down);
    QTRY_VERIFY(results->hasFocus());
    QCOMPARE(results->currentIndex().row(), 1);
    QSignalSpy shown(m_a.chat(), &ui::ChatPane::messageShown);
    QTest::keyClick(results, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kWaitMs);
    QCOMPARE(m_a.chat()->currentConversation(), chat);
    QCOMPARE(shown.first().at(1).toLongLong(), qint64(1));
    QVERIFY(shown.first().at(2).toBool());
    QCOMPARE(landing.seq, qint64(1));
    QVERIFY(landing.found);
    QVERIFY(landing.selected);
    QVERIFY(landing.visible);
    MessageListModel *messages = m_a.chat()->messageView()->messageModel();
    QVERIFY(messages->rowCount() >= kLater + 1); // paged back to it
    QCOMPARE(messages->pageSize(), 50);          // and back to normal pages
    // It stays on screen (nothing scrolls the chat back to its bottom).
    ui::MessageView *view = m_a.chat()->messageView();
    const QModelIndex old = view->model()->index(messages->rowOfSeq(1), 0);
    QTRY_VERIFY(view->viewport()->rect().intersects(view->visualRect(old)));
    QVERIFY(!view->isAtBottom());
    // The search is still there for the next result.
    QCOMPARE(filter->text(), QStringLiteral("zeppel"));
}

void TestAppSearch::findBarFindsAMessageNotLoaded()
{
    const QString chat = oldMessageFarBack();
    QVERIFY(!chat.isEmpty());
    Landing landing;
    watchLanding(&landing);
    m_a.activate();
    QVERIFY(m_a.window()->openConversation(chat));
    MessageListModel *messages = m_a.chat()->messageView()->messageModel();
    QTRY_VERIFY_WITH_TIMEOUT(!messages->isFetching() && messages->rowCount() > 0, kWaitMs);
    QCOMPARE(messages->rowOfSeq(1), -1); // not loaded

    QWidget *focus = QApplication::focusWidget();
    QTest::keyClick(focus ? focus : m_a.window(), Qt::Key_F, Qt::ControlModifier);
    auto *bar = m_a.chat()->findBar();
    QTRY_VERIFY(bar->isVisible());
    auto *field = bar->field();
    auto *count = bar->findChild<QLabel *>(QStringLiteral("findCount"));
    QSignalSpy shown(m_a.chat(), &ui::ChatPane::messageShown);
    QTest::keyClicks(field, QStringLiteral("zeppelin"));
    QTRY_COMPARE_WITH_TIMEOUT(count->text(), QStringLiteral("1 of 1"), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kWaitMs);
    QCOMPARE(landing.seq, qint64(1));
    QVERIFY(landing.found && landing.visible);
    QVERIFY(messages->rowOfSeq(1) >= 0);
    ui::MessageView *view = m_a.chat()->messageView();
    QCOMPARE(view->currentIndex().data(MessageListModel::SeqRole).toLongLong(), qint64(1));
    QCOMPARE(view->messageDelegate()->findText(), QStringLiteral("zeppelin"));
    QCOMPARE(view->messageDelegate()->currentFindId(),
             view->currentIndex().data(MessageListModel::MessageIdRole).toString());
    // The field keeps the keyboard: Enter again stays on the one match.
    QVERIFY(field->hasFocus());
    QTest::keyClick(field, Qt::Key_Return);
    QCOMPARE(count->text(), QStringLiteral("1 of 1"));
    // A word in no message.
    field->clear();
    QTest::keyClicks(field, QStringLiteral("nowhere"));
    QTRY_COMPARE(count->text(), QStringLiteral("No matches"));
}

QTEST_MAIN(TestAppSearch)
#include "tst_appsearch.moc"
