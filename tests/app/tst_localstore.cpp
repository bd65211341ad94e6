// The app's local cache on real SQLite files: round trips of every table, dedupe of messages by
// (conversation, seq), delivery watermarks, outbox order, the atomic ack move (both or
// neither), and that reopening the file keeps everything with the schema version recorded.

#include "app/cache/LocalStore.h"
#include "shared/protocol/Codec.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace tern;
using namespace tern::app::cache;

namespace {

template <typename T> T take(QFuture<T> future)
{
    // The store works on its own thread; blocking the test thread here is harmless.
    future.waitForFinished();
    return future.result();
}

protocol::MessageEvent message(const QString &conversation, qint64 seq, const QString &id = {})
{
    protocol::MessageEvent m;
    m.id = id.isEmpty() ? QStringLiteral("m-%1-%2").arg(conversation).arg(seq) : id;
    m.conversation = conversation;
    m.seq = seq;
    m.from = QStringLiteral("u1");
    m.fromDevice = QStringLiteral("d1");
    m.to = QStringLiteral("u2");
    m.kind = protocol::MessageKind::Text;
    m.content = QStringLiteral("hello %1").arg(seq);
    m.ts = 1000 + seq;
    m.serverTs = 2000 + seq;
    return m;
}

OutboxItem outboxItem(const QString &id, const QString &content)
{
    OutboxItem item;
    item.id = id;
    item.to = QStringLiteral("u2");
    item.kind = protocol::MessageKind::Text;
    item.content = content;
    item.ts = 42;
    return item;
}

QStringList ids(const QList<OutboxItem> &items)
{
    QStringList out;
    for (const OutboxItem &item : items)
        out << item.id;
    return out;
}

QList<qint64> seqs(const QList<protocol::MessageEvent> &messages)
{
    QList<qint64> out;
    for (const protocol::MessageEvent &m : messages)
        out << m.seq;
    return out;
}

} // namespace

class TestLocalStore : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void openAndSchemaVersion();
    void conversationsRoundTrip();
    void messagesDedupeAndPaging();
    void messagesRoundTripMedia();
    void deliveryWatermark();
    void outboxOrder();
    void outboxDeviceStateIsNotMedia();
    void ackMoveIsAtomic();
    void draftsAndSettings();
    void reopenKeepsEverything();
    void usersRoundTrip();
    void changeEventsAreNotLastMessages();
    void everyFieldRoundTrips();
    void changesApplyToTheirTarget();
    void currentStateReplacesCachedState();
    void hiddenRowsLeaveEverything();
    void deletedTextLeavesTheFile();
    void outboxKeepsChangeFields();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path() const { return m_dir->filePath(QStringLiteral("account.sqlite")); }
};

void TestLocalStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestLocalStore::openAndSchemaVersion()
{
    LocalStore store(path());
    const Status opened = store.open();
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
    QVERIFY(LocalStore::latestSchemaVersion() >= 1);
    const Result<int> version = take(store.schemaVersion());
    QVERIFY(version.ok());
    QCOMPARE(*version, LocalStore::latestSchemaVersion());
    // WAL: the write-ahead log sits next to the file once something was written.
    QVERIFY(take(store.setSetting(QStringLiteral("k"), QStringLiteral("v"))).ok());
    QVERIFY(QFileInfo::exists(path() + QStringLiteral("-wal")));
}

void TestLocalStore::conversationsRoundTrip()
{
    LocalStore store(path());
    QVERIFY(store.open().ok());
    protocol::ConversationSummary older;
    older.conversation = QStringLiteral("c1");
    older.kind = protocol::ConversationKind::Direct;
    older.name = QStringLiteral("Bob");
    older.members = {{QStringLiteral("u1"), protocol::Role::Member},
                     {QStringLiteral("u2"), protocol::Role::Member}};
    older.lastSeq = 3;
    older.lastMessage = message(QStringLiteral("c1"), 3);
    older.unread = 2;
    older.readSeq = 1;
    protocol::ConversationSummary newer;
    newer.conversation = QStringLiteral("c2");
    newer.kind = protocol::ConversationKind::Group;
    newer.name = QStringLiteral("Team");
    newer.members = {{QStringLiteral("u1"), protocol::Role::Owner}};
    newer.lastSeq = 9;
    newer.lastMessage = message(QStringLiteral("c2"), 9);
    newer.lastMessage->serverTs = 999'999;
    QVERIFY(take(store.saveConversations({older, newer})).ok());

    const auto list = take(store.conversations());
    QVERIFY(list.ok());
    QCOMPARE(list->size(), 2);
    QCOMPARE(list->at(0).conversation, QStringLiteral("c2")); // newest activity first
    const protocol::ConversationSummary &c1 = list->at(1);
    QVERIFY(c1.kind == older.kind);
    QCOMPARE(c1.name, older.name);
    QCOMPARE(c1.members.size(), 2);
    QCOMPARE(c1.members.at(1).userId, QStringLiteral("u2"));
    QCOMPARE(c1.lastSeq, 3);
    QVERIFY(c1.lastMessage.has_value());
    QCOMPARE(c1.lastMessage->content, older.lastMessage->content);
    QCOMPARE(c1.unread, 2);
    QCOMPARE(c1.readSeq, 1);
    QVERIFY(list->at(0).members.at(0).role == protocol::Role::Owner);

    // Replacing a summary keeps one row; the read watermark only moves forward.
    older.name = QStringLiteral("Bobby");
    QVERIFY(take(store.saveConversations({older})).ok());
    QVERIFY(take(store.setReadSeq(QStringLiteral("c1"), 3)).ok());
    QVERIFY(take(store.setReadSeq(QStringLiteral("c1"), 2)).ok());
    const auto again = take(store.conversations());
    QCOMPARE(again->size(), 2);
    QCOMPARE(again->at(1).name, QStringLiteral("Bobby"));
    QCOMPARE(again->at(1).readSeq, 3);
    QCOMPARE(again->at(1).unread, 0);
}

void TestLocalStore::messagesDedupeAndPaging()
{
    LocalStore store(path());
    QVERIFY(store.open().ok());
    QList<protocol::MessageEvent> batch;
    for (int seq = 1; seq <= 5; ++seq)
        batch << message(QStringLiteral("c1"), seq);
    const auto first = take(store.saveMessages(batch));
    QVERIFY(first.ok());
    QCOMPARE(first->insertedCount(), 5);

    // Same (conversation, seq) again, even with another id: dropped. seq 6 is new.
    const auto second =
        take(store.saveMessages({message(QStringLiteral("c1"), 3, QStringLiteral("other")),
                                 message(QStringLiteral("c1"), 6)}));
    QVERIFY(second.ok());
    QCOMPARE(second->inserted, (QList<bool>{false, true}));

    const auto newest = take(store.messages(QStringLiteral("c1"), 0, 3));
    QVERIFY(newest.ok());
    QCOMPARE(seqs(*newest), (QList<qint64>{4, 5, 6})); // the newest page, oldest first
    QCOMPARE(newest->at(0).content, QStringLiteral("hello 4"));
    const auto older = take(store.messages(QStringLiteral("c1"), 4, 10));
    QCOMPARE(seqs(*older), (QList<qint64>{1, 2, 3}));
    QCOMPARE(older->at(2).id, QStringLiteral("m-c1-3")); // the first copy stays
    QCOMPARE(*take(store.maxSeq(QStringLiteral("c1"))), qint64(6));
    QCOMPARE(*take(store.maxSeq(QStringLiteral("nope"))), qint64(0));
    QVERIFY(take(store.messages(QStringLiteral("nope"), 0, 10))->isEmpty());
}

void TestLocalStore::messagesRoundTripMedia()
{
    LocalStore store(path());
    QVERIFY(store.open().ok());
    protocol::MessageEvent m = message(QStringLiteral("c1"), 1);
    m.kind = protocol::MessageKind::Image;
    m.content.clear();
    m.media = protocol::Media{};
    m.media->mediaId = QStringLiteral("m1");
    m.media->size = 123;
    m.media->width = 0;
    QVERIFY(take(store.saveMessages({m})).ok());
    const auto back = take(store.messages(QStringLiteral("c1"), 0, 10));
    QCOMPARE(back->size(), 1);
    const protocol::MessageEvent &b = back->first();
    QCOMPARE(b.id, m.id);
    QCOMPARE(b.from, m.from);
    QCOMPARE(b.fromDevice, m.fromDevice);
    QCOMPARE(b.to, m.to);
    QVERIFY(b.kind == m.kind);
    QCOMPARE(b.content, QString());
    QVERIFY(b.media == m.media);
    QCOMPARE(b.ts, m.ts);
    QCOMPARE(b.serverTs, m.serverTs);
}

void TestLocalStore::deliveryWatermark()
{
    LocalStore store(path());
    QVERIFY(store.open().ok());
    // The device joined c1 at seq 10: the watermark starts below the first received seq.
    auto r = take(store.saveMessages(
        {message(QStringLiteral("c1"), 11), message(QStringLiteral("c1"), 12)}, true));
    QCOMPARE(r->delivered.value(QStringLiteral("c1")), qint64(12));
    r = take(store.saveMessages({message(QStringLiteral("c1"), 14)}, true));
    QCOMPARE(r->delivered.value(QStringLiteral("c1")), qint64(12)); // 13 is missing
    r = take(store.saveMessages({message(QStringLiteral("c1"), 13)}, true));
    QCOMPARE(r->delivered.value(QStringLiteral("c1")), qint64(14)); // the gap closed
    r = take(store.saveMessages({message(QStringLiteral("c1"), 12)}, true));
    QCOMPARE(r->inserted, QList<bool>{false});
    QCOMPARE(r->delivered.value(QStringLiteral("c1")), qint64(14)); // duplicates report it too
    // History (not received live) does not report watermarks.
    r = take(store.saveMessages({message(QStringLiteral("c2"), 1)}, false));
    QVERIFY(r->delivered.isEmpty());
}

void TestLocalStore::outboxDeviceStateIsNotMedia()
{
    // Issue 15: the file being sent and the upload id lived inside the media object (what goes
    // on the wire). An outbox written that way (schema 2) is moved apart when the store opens.
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v2"));
        db.setDatabaseName(path());
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE schema_version (version INTEGER NOT NULL)")));
        for (int version : {1, 2}) {
            const QString name =
                version == 1 ? QStringLiteral("001_initial.sql") : QStringLiteral("002_users.sql");
            QFile file(QStringLiteral(":/tern/app-migrations/") + name);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QString script;
            for (const QString &line : QString::fromUtf8(file.readAll()).split(u'\n'))
                if (!line.trimmed().startsWith(QLatin1String("--")))
                    script += line + u'\n';
            for (const QString &statement : script.split(u';'))
                if (!statement.trimmed().isEmpty())
                    QVERIFY2(q.exec(statement), qPrintable(q.lastError().text()));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO schema_version VALUES (%1)").arg(version)));
        }
        QVERIFY(q.exec(QStringLiteral(
            "INSERT INTO outbox (id, recipient, kind, content, media, ts, created, attempts) "
            "VALUES ('old', 'u2', 'file', '', "
            "'{\"name\":\"a.pdf\",\"local_path\":\"/home/me/a.pdf\","
            "\"upload_id\":\"0123\"}', 1, 1, 0)")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("v2"));

    LocalStore store(path());
    QVERIFY(store.open().ok());
    auto items = take(store.outbox());
    QVERIFY(items.ok());
    QCOMPARE(items->size(), 1);
    QCOMPARE(items->first().localPath, QStringLiteral("/home/me/a.pdf"));
    QCOMPARE(items->first().uploadId, QStringLiteral("0123"));
    QCOMPARE(protocol::toJson(*items->first().media),
             (QJsonObject{{QStringLiteral("name"), QStringLiteral("a.pdf")}}));

    // New items keep the two apart too, and the upload id can be updated on its own.
    OutboxItem item = outboxItem(QStringLiteral("new"), {});
    item.kind = protocol::MessageKind::Image;
    item.media = protocol::Media{};
    item.media->name = QStringLiteral("b.png");
    item.localPath = QStringLiteral("/home/me/b.png");
    QVERIFY(take(store.addToOutbox(item)).ok());
    QCOMPARE(*take(store.updateOutboxUpload(QStringLiteral("new"), QStringLiteral("4567"))), true);
    items = take(store.outbox());
    QCOMPARE(items->size(), 2);
    QCOMPARE(items->at(1).localPath, QStringLiteral("/home/me/b.png"));
    QCOMPARE(items->at(1).uploadId, QStringLiteral("4567"));
    QVERIFY(*items->at(1).media == *item.media);
}

void TestLocalStore::outboxOrder()
{
    LocalStore store(path());
    QVERIFY(store.open().ok());
    const QStringList order{QStringLiteral("z"), QStringLiteral("a"), QStringLiteral("m")};
    for (const QString &id : order)
        QVERIFY(take(store.addToOutbox(outboxItem(id, id + QStringLiteral("!")))).ok());
    const Status duplicate = take(store.addToOutbox(outboxItem(QStringLiteral("a"), {})));
    QVERIFY(!duplicate.ok());
    QCOMPARE(duplicate.error().code, ErrorCode::Conflict);

    auto items = take(store.outbox());
    QVERIFY(items.ok());
    QCOMPARE(ids(*items), order); // creation order, not id order
    QCOMPARE(items->at(1).content, QStringLiteral("a!"));
    QCOMPARE(items->at(1).ts, qint64(42));
    QVERIFY(take(store.noteAttempt({QStringLiteral("a"), QStringLiteral("a")})).ok());
    QCOMPARE(take(store.outbox())->at(1).attempts, 2);

    QCOMPARE(*take(store.removeFromOutbox(QStringLiteral("a"))), true);
    QCOMPARE(*take(store.removeFromOutbox(QStringLiteral("a"))), false);
    QVERIFY(take(store.addToOutbox(outboxItem(QStringLiteral("b"), {}))).ok());
    QCOMPARE(ids(*take(store.outbox())),
             (QStringList{QStringLiteral("z"), QStringLiteral("m"), QStringLiteral("b")}));
}

void TestLocalStore::ackMoveIsAtomic()
{
    LocalStore store(path());
    QVERIFY(store.open().ok());
    QVERIFY(take(store.addToOutbox(outboxItem(QStringLiteral("x"), QStringLiteral("hi")))).ok());
    QVERIFY(take(store.addToOutbox(outboxItem(QStringLiteral("y"), QStringLiteral("yo")))).ok());

    const auto moved = take(store.completeOutboxItem(
        QStringLiteral("x"), message(QStringLiteral("c1"), 7, QStringLiteral("x"))));
    QVERIFY(moved.ok());
    QCOMPARE(*moved, true);
    QCOMPARE(ids(*take(store.outbox())), QStringList{QStringLiteral("y")});
    QCOMPARE(take(store.messages(QStringLiteral("c1"), 0, 10))->first().id, QStringLiteral("x"));
    // A second ack for the same id (a re-send the server answered again) changes nothing.
    const auto again = take(store.completeOutboxItem(
        QStringLiteral("x"), message(QStringLiteral("c1"), 7, QStringLiteral("x"))));
    QCOMPARE(*again, false);
    QCOMPARE(take(store.messages(QStringLiteral("c1"), 0, 10))->size(), 1);

    // Storing the message fails (a trigger, set up on a second connection, refuses it): the
    // removal is rolled back with it.
    {
        QSqlDatabase raw =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        raw.setDatabaseName(path());
        QVERIFY(raw.open());
        QSqlQuery q(raw);
        QVERIFY2(q.exec(QStringLiteral("CREATE TRIGGER refuse BEFORE INSERT ON messages "
                                       "WHEN NEW.conversation = 'boom' "
                                       "BEGIN SELECT RAISE(ABORT, 'refused'); END")),
                 qPrintable(q.lastError().text()));
        q.finish();
        raw.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    const auto failed = take(store.completeOutboxItem(
        QStringLiteral("y"), message(QStringLiteral("boom"), 8, QStringLiteral("y"))));
    QVERIFY(!failed.ok());
    QCOMPARE(ids(*take(store.outbox())), QStringList{QStringLiteral("y")});
}

void TestLocalStore::draftsAndSettings()
{
    LocalStore store(path());
    QVERIFY(store.open().ok());
    QCOMPARE(*take(store.draft(QStringLiteral("c1"))), QString());
    QVERIFY(take(store.setDraft(QStringLiteral("c1"), QStringLiteral("half a thought"))).ok());
    QCOMPARE(*take(store.draft(QStringLiteral("c1"))), QStringLiteral("half a thought"));
    QVERIFY(take(store.setDraft(QStringLiteral("c1"), QString())).ok());
    QCOMPARE(*take(store.draft(QStringLiteral("c1"))), QString());

    QVERIFY(take(store.setSetting(QStringLiteral("token"), QStringLiteral("t1"))).ok());
    QVERIFY(take(store.setSettings({{QStringLiteral("token"), QStringLiteral("t2")},
                                    {QStringLiteral("device_id"), QStringLiteral("d9")}}))
                .ok());
    QCOMPARE(*take(store.setting(QStringLiteral("token"))), QStringLiteral("t2"));
    QCOMPARE(*take(store.setting(QStringLiteral("missing"))), QString());
    const auto all = take(store.settings());
    QCOMPARE(all->size(), 2);
    QCOMPARE(all->value(QStringLiteral("device_id")), QStringLiteral("d9"));
    // Clearing (how logout and the keychain move forget the token) removes it; a null QString
    // used to bind as NULL and fail against the NOT NULL column, leaving the token on disk.
    QVERIFY(take(store.setSetting(QStringLiteral("token"), QString())).ok());
    QCOMPARE(*take(store.setting(QStringLiteral("token"))), QString());
    QVERIFY(!take(store.settings())->contains(QStringLiteral("token")));
}

void TestLocalStore::reopenKeepsEverything()
{
    {
        LocalStore store(path());
        QVERIFY(store.open().ok());
        protocol::ConversationSummary c;
        c.conversation = QStringLiteral("c1");
        c.kind = protocol::ConversationKind::Direct;
        c.name = QStringLiteral("Bob");
        QVERIFY(take(store.saveConversations({c})).ok());
        QVERIFY(take(store.saveMessages(
                         {message(QStringLiteral("c1"), 1), message(QStringLiteral("c1"), 2)}))
                    .ok());
        QVERIFY(take(store.addToOutbox(outboxItem(QStringLiteral("q1"), QStringLiteral("later"))))
                    .ok());
        QVERIFY(take(store.addToOutbox(outboxItem(QStringLiteral("q0"), QStringLiteral("later 2"))))
                    .ok());
        QVERIFY(take(store.setDraft(QStringLiteral("c1"), QStringLiteral("draft"))).ok());
        QVERIFY(take(store.setSetting(QStringLiteral("token"), QStringLiteral("secret"))).ok());
        // Not waited for: the destructor must still finish it.
        store.setSetting(QStringLiteral("server_url"), QStringLiteral("ws://x/ws"));
    }
    LocalStore store(path());
    QVERIFY(store.open().ok()); // migrations are not applied twice
    QCOMPARE(*take(store.schemaVersion()), LocalStore::latestSchemaVersion());
    QCOMPARE(take(store.conversations())->size(), 1);
    QCOMPARE(seqs(*take(store.messages(QStringLiteral("c1"), 0, 10))), (QList<qint64>{1, 2}));
    QCOMPARE(ids(*take(store.outbox())), (QStringList{QStringLiteral("q1"), QStringLiteral("q0")}));
    QCOMPARE(*take(store.draft(QStringLiteral("c1"))), QStringLiteral("draft"));
    QCOMPARE(*take(store.setting(QStringLiteral("token"))), QStringLiteral("secret"));
    QCOMPARE(*take(store.setting(QStringLiteral("server_url"))), QStringLiteral("ws://x/ws"));
    // New outbox items still go after the old ones.
    QVERIFY(take(store.addToOutbox(outboxItem(QStringLiteral("a"), {}))).ok());
    QCOMPARE(ids(*take(store.outbox())).last(), QStringLiteral("a"));
}

void TestLocalStore::usersRoundTrip()
{
    QVERIFY(LocalStore::latestSchemaVersion() >= 2); // 002_users is embedded
    {
        LocalStore store(path());
        QVERIFY(store.open().ok());
        QVERIFY(take(store.users())->isEmpty());
        QVERIFY(take(store.saveUsers(
                         {{QStringLiteral("u2"), QStringLiteral("bob"), QStringLiteral("Bob")},
                          {QStringLiteral("u1"), QStringLiteral("ada"),
                           QStringLiteral("Ada Lovelace")}}))
                    .ok());
        // Replaced by id; a null user name is stored as "" (NOT NULL), not dropped.
        QVERIFY(take(store.saveUsers({{QStringLiteral("u2"), QString(), QStringLiteral("Bobby")}}))
                    .ok());
    }
    LocalStore store(path());
    QVERIFY(store.open().ok());
    const Result<QList<protocol::UserInfo>> users = take(store.users());
    QVERIFY(users.ok());
    QCOMPARE(users->size(), 2);
    QCOMPARE(users->at(0).userId, QStringLiteral("u1"));
    QCOMPARE(users->at(0).user, QStringLiteral("ada"));
    QCOMPARE(users->at(0).displayName, QStringLiteral("Ada Lovelace"));
    QCOMPARE(users->at(1).userId, QStringLiteral("u2"));
    QCOMPARE(users->at(1).user, QString(""));
    QCOMPARE(users->at(1).displayName, QStringLiteral("Bobby"));
}

void TestLocalStore::changeEventsAreNotLastMessages()
{
    // Issue 19: edits, deletions and reactions are kept (their seqs keep the delivery watermark
    // contiguous) but never become the chat's last message or move it up the list.
    LocalStore store(path());
    QVERIFY(store.open().ok());
    protocol::ConversationSummary c;
    c.conversation = QStringLiteral("c1");
    c.name = QStringLiteral("Bob");
    c.lastSeq = 1;
    c.lastMessage = message(QStringLiteral("c1"), 1);
    QVERIFY(take(store.saveConversations({c})).ok());
    protocol::MessageEvent reaction = message(QStringLiteral("c1"), 2);
    reaction.kind = protocol::MessageKind::Reaction;
    reaction.content = QStringLiteral("👍");
    reaction.ref = 1;
    reaction.serverTs = 999'999;
    const auto saved = take(store.saveMessages({message(QStringLiteral("c1"), 1), reaction}, true));
    QVERIFY(saved.ok());
    QCOMPARE(saved->delivered.value(QStringLiteral("c1")), qint64(2));
    const auto list = take(store.conversations());
    QVERIFY(list.ok() && list->size() == 1);
    QCOMPARE(list->at(0).lastSeq, qint64(2));
    QVERIFY(list->at(0).lastMessage.has_value());
    QCOMPARE(list->at(0).lastMessage->seq, qint64(1));
    QCOMPARE(list->at(0).lastMessage->content, QStringLiteral("hello 1"));
}

namespace {

protocol::MessageEvent change(protocol::MessageKind kind, qint64 seq, qint64 ref,
                              const QString &content = {}, const QString &from = {})
{
    protocol::MessageEvent m = message(QStringLiteral("c1"), seq);
    m.kind = kind;
    m.content = content;
    m.ref = ref;
    if (!from.isEmpty())
        m.from = from;
    if (kind == protocol::MessageKind::Edit)
        m.editedTs = m.serverTs;
    return m;
}

protocol::MessageEvent cached(LocalStore &store, qint64 seq)
{
    const auto found = take(store.messagesBySeq(QStringLiteral("c1"), {seq}));
    return found.ok() && found->size() == 1 ? found->first() : protocol::MessageEvent{};
}

QStringList searchHits(LocalStore &store, const QString &text)
{
    QStringList out;
    const auto hits = take(store.search({text, {}, 20}));
    for (const LocalSearchHit &hit : hits.value())
        out << QString::number(hit.seq);
    return out;
}

} // namespace

void TestLocalStore::everyFieldRoundTrips()
{
    LocalStore store(path());
    QVERIFY(store.open().ok());
    protocol::MessageEvent m = message(QStringLiteral("c1"), 2);
    m.replyTo = 1;
    m.forwarded = true;
    m.mentions = {QStringLiteral("u2"), QStringLiteral("u3")};
    m.editedTs = 5555;
    m.reactions = {{QStringLiteral("👍"), {QStringLiteral("u2"), QStringLiteral("u1")}},
                   {QStringLiteral("❤️"), {QStringLiteral("u3")}}};
    protocol::MessageEvent reaction = change(protocol::MessageKind::Reaction, 3, 9, "😂");
    reaction.on = false;
    QVERIFY(take(store.saveMessages({m, reaction})).ok());
    const auto page = take(store.messages(QStringLiteral("c1"), 0, 10));
    QVERIFY(page.ok() && page->size() == 2);
    const protocol::MessageEvent &back = page->at(0);
    QCOMPARE(back.replyTo, std::optional<qint64>(1));
    QVERIFY(back.forwarded);
    QCOMPARE(back.mentions, m.mentions);
    QCOMPARE(back.editedTs, std::optional<qint64>(5555));
    QCOMPARE(back.reactions, m.reactions);
    QVERIFY(!back.deleted);
    QCOMPARE(page->at(1).kind, protocol::MessageKind::Reaction);
    QCOMPARE(page->at(1).ref, std::optional<qint64>(9));
    QCOMPARE(page->at(1).on, false);
    QCOMPARE(page->at(1).content, QStringLiteral("😂"));
}

void TestLocalStore::changesApplyToTheirTarget()
{
    LocalStore store(path());
    QVERIFY(store.open().ok());
    protocol::ConversationSummary c;
    c.conversation = QStringLiteral("c1");
    c.name = QStringLiteral("Bob");
    QVERIFY(take(store.saveConversations({c})).ok());
    protocol::MessageEvent original = message(QStringLiteral("c1"), 1);
    original.content = QStringLiteral("first draft");
    original.mentions = {QStringLiteral("u2")};
    QVERIFY(take(store.saveMessages({original}, true)).ok());

    // Edit: the text and edited_ts; the chat list's last message follows.
    QVERIFY(
        take(store.saveMessages(
                 {change(protocol::MessageKind::Edit, 2, 1, QStringLiteral("second draft"))}, true))
            .ok());
    QCOMPARE(cached(store, 1).content, QStringLiteral("second draft"));
    QCOMPARE(cached(store, 1).editedTs, std::optional<qint64>(2002));
    QCOMPARE(take(store.conversations())->at(0).lastMessage->content,
             QStringLiteral("second draft"));
    QCOMPARE(searchHits(store, QStringLiteral("second")), QStringList{QStringLiteral("1")});
    QCOMPARE(searchHits(store, QStringLiteral("first")), QStringList{});

    // Reactions: users in order, emoji in first order, an emoji nobody keeps removed; adding
    // twice changes nothing.
    QVERIFY(take(store.saveMessages(
                     {change(protocol::MessageKind::Reaction, 3, 1, "👍", QStringLiteral("u2")),
                      change(protocol::MessageKind::Reaction, 4, 1, "❤️", QStringLiteral("u2")),
                      change(protocol::MessageKind::Reaction, 5, 1, "👍", QStringLiteral("u1")),
                      change(protocol::MessageKind::Reaction, 6, 1, "👍", QStringLiteral("u1"))},
                     true))
                .ok());
    QList<protocol::Reaction> expected{
        {QStringLiteral("👍"), {QStringLiteral("u2"), QStringLiteral("u1")}},
        {QStringLiteral("❤️"), {QStringLiteral("u2")}}};
    QCOMPARE(cached(store, 1).reactions, expected);
    protocol::MessageEvent off =
        change(protocol::MessageKind::Reaction, 7, 1, "❤️", QStringLiteral("u2"));
    off.on = false;
    QVERIFY(take(store.saveMessages({off}, true)).ok());
    expected.removeLast();
    QCOMPARE(cached(store, 1).reactions, expected);
    // A duplicate event (sync re-sends the tail) is not applied twice.
    QVERIFY(take(store.saveMessages({off, change(protocol::MessageKind::Reaction, 5, 1, "👍",
                                                 QStringLiteral("u1"))},
                                    true))
                .ok());
    QCOMPARE(cached(store, 1).reactions, expected);

    // Delete: a tombstone; the edit event's text goes too; edits and reactions after it change
    // nothing.
    QVERIFY(take(store.saveMessages({change(protocol::MessageKind::Delete, 8, 1)}, true)).ok());
    QVERIFY(take(store.saveMessages(
                     {change(protocol::MessageKind::Edit, 9, 1, QStringLiteral("zombie")),
                      change(protocol::MessageKind::Reaction, 10, 1, "👍")},
                     true))
                .ok());
    const protocol::MessageEvent tomb = cached(store, 1);
    QVERIFY(tomb.deleted);
    QCOMPARE(tomb.content, QString());
    QVERIFY(tomb.mentions.isEmpty());
    QVERIFY(tomb.reactions.isEmpty());
    QCOMPARE(cached(store, 2).content, QString()); // the edit event
    QVERIFY(searchHits(store, QStringLiteral("draft")).isEmpty());
    QVERIFY(searchHits(store, QStringLiteral("zombie")).isEmpty());
    const auto list = take(store.conversations());
    QVERIFY(list->at(0).lastMessage->deleted);
    QCOMPARE(list->at(0).lastSeq, qint64(10));
    // Every event kept its own row for the watermark.
    QCOMPARE(take(store.messages(QStringLiteral("c1"), 0, 20))->size(), 10);
}

void TestLocalStore::currentStateReplacesCachedState()
{
    // history and sync bring a cached message in the server's current state: it is taken over
    // (not ignored as a duplicate), but never backwards.
    LocalStore store(path());
    QVERIFY(store.open().ok());
    QVERIFY(take(store.saveMessages(
                     {message(QStringLiteral("c1"), 1), message(QStringLiteral("c1"), 2)}))
                .ok());
    protocol::MessageEvent now1 = message(QStringLiteral("c1"), 1);
    now1.content = QStringLiteral("corrected");
    now1.editedTs = 7000;
    now1.reactions = {{QStringLiteral("👍"), {QStringLiteral("u2")}}};
    protocol::MessageEvent now2 = message(QStringLiteral("c1"), 2);
    now2.content.clear();
    now2.deleted = true;
    const auto saved = take(store.saveMessages({now1, now2}));
    QVERIFY(saved.ok());
    QCOMPARE(saved->insertedCount(), 0);
    QCOMPARE(cached(store, 1).content, QStringLiteral("corrected"));
    QCOMPARE(cached(store, 1).editedTs, std::optional<qint64>(7000));
    QCOMPARE(cached(store, 1).reactions, now1.reactions);
    QVERIFY(cached(store, 2).deleted);
    QVERIFY(searchHits(store, QStringLiteral("hello")).isEmpty());
    QCOMPARE(searchHits(store, QStringLiteral("corrected")), QStringList{QStringLiteral("1")});
    // An older state (a page read before the edit) does not undo it; nor revives a tombstone.
    QVERIFY(take(store.saveMessages(
                     {message(QStringLiteral("c1"), 1), message(QStringLiteral("c1"), 2)}))
                .ok());
    QCOMPARE(cached(store, 1).content, QStringLiteral("corrected"));
    QVERIFY(cached(store, 2).deleted);
}

void TestLocalStore::hiddenRowsLeaveEverything()
{
    LocalStore store(path());
    QVERIFY(store.open().ok());
    protocol::MessageEvent secret = message(QStringLiteral("c1"), 2);
    secret.content = QStringLiteral("embarrassing typo");
    QVERIFY(take(store.saveMessages(
                     {message(QStringLiteral("c1"), 1), secret, message(QStringLiteral("c1"), 3)},
                     true))
                .ok());
    QVERIFY(take(store.hideMessages(QStringLiteral("c1"), {2, 99})).ok());
    QCOMPARE(seqs(*take(store.messages(QStringLiteral("c1"), 0, 10))), (QList<qint64>{1, 3}));
    QVERIFY(take(store.messagesBySeq(QStringLiteral("c1"), {2}))->isEmpty());
    QVERIFY(searchHits(store, QStringLiteral("embarrassing")).isEmpty());
    // The row stays (the delivery watermark stays contiguous); sync re-sending it is ignored.
    const auto again = take(store.saveMessages({secret}, true));
    QVERIFY(again.ok());
    QCOMPARE(again->insertedCount(), 0);
    QCOMPARE(again->delivered.value(QStringLiteral("c1")), qint64(3));
    QVERIFY(searchHits(store, QStringLiteral("embarrassing")).isEmpty());
    QVERIFY(take(store.messagesBySeq(QStringLiteral("c1"), {2}))->isEmpty());
    // Hiding again is harmless.
    QVERIFY(take(store.hideMessages(QStringLiteral("c1"), {2})).ok());
    // The sender edits it later: the server still sends the edit, whose text is not kept.
    protocol::MessageEvent edit = message(QStringLiteral("c1"), 4);
    edit.kind = protocol::MessageKind::Edit;
    edit.ref = 2;
    edit.content = QStringLiteral("even worse typo");
    QVERIFY(take(store.saveMessages({edit}, true)).ok());
    const auto rows = take(store.messages(QStringLiteral("c1"), 0, 10));
    QVERIFY(rows.ok());
    for (const protocol::MessageEvent &m : *rows)
        QVERIFY2(!m.content.contains(u"worse"), qPrintable(m.content));
}

void TestLocalStore::deletedTextLeavesTheFile()
{
    // "Deleted means overwritten": no trace in the database file, its WAL or the search index
    // (FTS5 only marks deleted words until its segments are merged: LocalStore purges them).
    {
        LocalStore store(path());
        QVERIFY(store.open().ok());
        QList<protocol::MessageEvent> many;
        for (int i = 1; i <= 40; ++i) {
            protocol::MessageEvent m = message(QStringLiteral("c1"), i);
            m.content = QStringLiteral("filler words number %1 to make segments").arg(i);
            if (i == 5)
                m.content = QStringLiteral("SECRET-zqxjvdeleted code");
            if (i == 6)
                m.content = QStringLiteral("SECRET-wqpkhidden code");
            if (i == 7)
                m.content = QStringLiteral("qzvyoriginal text");
            // One save per message: each its own FTS5 segment, as live messages are.
            QVERIFY(take(store.saveMessages({m}, true)).ok());
        }
        QVERIFY(take(store.saveMessages(
                         {change(protocol::MessageKind::Edit, 41, 7, QStringLiteral("qvbnedited"))},
                         true))
                    .ok());
        QVERIFY(take(store.saveMessages({change(protocol::MessageKind::Delete, 42, 5),
                                         change(protocol::MessageKind::Delete, 43, 7)},
                                        true))
                    .ok());
        QVERIFY(take(store.hideMessages(QStringLiteral("c1"), {6})).ok());
        QVERIFY(searchHits(store, QStringLiteral("code")).isEmpty());
        QCOMPARE(searchHits(store, QStringLiteral("filler")).size(), 20);
    }
    for (const QString &suffix : {QString(), QStringLiteral("-wal")}) {
        QFile raw(path() + suffix);
        if (!raw.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = raw.readAll();
        QVERIFY2(bytes.contains("filler"), qPrintable(suffix)); // the scan does see text
        QVERIFY2(!bytes.contains("SECRET-"), qPrintable(suffix));
        // Index terms are stored lowercased after the prefix shared with the term before:
        // these share none with another term here.
        QVERIFY2(!bytes.contains("zqxjvdeleted"), qPrintable(suffix));
        QVERIFY2(!bytes.contains("wqpkhidden"), qPrintable(suffix));
        QVERIFY2(!bytes.contains("qzvyoriginal"), qPrintable(suffix));
        QVERIFY2(!bytes.contains("qvbnedited"), qPrintable(suffix));
    }
}

void TestLocalStore::outboxKeepsChangeFields()
{
    LocalStore store(path());
    QVERIFY(store.open().ok());
    OutboxItem reaction = outboxItem(QStringLiteral("r"), QStringLiteral("👍"));
    reaction.kind = protocol::MessageKind::Reaction;
    reaction.ref = 4;
    reaction.on = false;
    OutboxItem reply = outboxItem(QStringLiteral("t"), QStringLiteral("yes"));
    reply.replyTo = 3;
    reply.forwarded = true;
    reply.mentions = {QStringLiteral("u9")};
    QVERIFY(take(store.addToOutbox(reaction)).ok());
    QVERIFY(take(store.addToOutbox(reply)).ok());
    const auto items = take(store.outbox());
    QVERIFY(items.ok() && items->size() == 2);
    QCOMPARE(items->at(0).kind, protocol::MessageKind::Reaction);
    QCOMPARE(items->at(0).ref, std::optional<qint64>(4));
    QCOMPARE(items->at(0).on, false);
    QCOMPARE(items->at(0).replyTo, std::nullopt);
    QCOMPARE(items->at(1).replyTo, std::optional<qint64>(3));
    QVERIFY(items->at(1).forwarded);
    QCOMPARE(items->at(1).mentions, QStringList{QStringLiteral("u9")});
    QCOMPARE(items->at(1).ref, std::nullopt);
}

QTEST_GUILESS_MAIN(TestLocalStore)
#include "tst_localstore.moc"
