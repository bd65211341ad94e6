// GroupRequests alone (over real ChatConnections, against a child ternd): create, add, remove,
// leave, rename and roles, each checked in the server's conversation list; read receipts; the
// server's refusals passed on as its error codes (not transport errors), and offline as one.

#include "app/client/ChatConnection.h"
#include "app/client/GroupRequests.h"
#include "shared/protocol/Replies.h"
#include "tests/app/PartAccount.h"
#include "tests/support/ChildServer.h"
#include "tests/support/TestUtil.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace tern;
using namespace tern::test;
using tern::app::client::ChatConnection;
using tern::app::client::GroupRequests;
using State = ChatConnection::State;

namespace {

//! An account with its group requests (destroyed before the connection).
struct Member : PartAccount
{
    std::unique_ptr<GroupRequests> groups;

    bool make(const QString &path, const QUrl &url, const QString &prefix)
    {
        if (!build(path, url))
            return false;
        groups = std::make_unique<GroupRequests>(connection.get());
        return signUp(prefix);
    }
    //! The conversation as the server lists it for this member.
    std::optional<protocol::ConversationSummary> onServer(const QString &conversation)
    {
        const auto page = QCoro::waitFor(connection->call(protocol::ConversationsRequest{}));
        if (!page)
            return std::nullopt;
        for (const protocol::ConversationSummary &summary : page->conversations) {
            if (summary.conversation == conversation)
                return summary;
        }
        return std::nullopt;
    }
    ~Member()
    {
        groups.reset();
        reset();
    }
};

QStringList memberIds(const protocol::ConversationSummary &summary)
{
    QStringList ids;
    for (const protocol::MemberInfo &member : summary.members)
        ids << member.userId;
    ids.sort();
    return ids;
}

std::optional<protocol::Role> roleIn(const protocol::ConversationSummary &summary,
                                     const QString &user)
{
    for (const protocol::MemberInfo &member : summary.members) {
        if (member.userId == user)
            return member.role;
    }
    return std::nullopt;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

} // namespace

class TestGroupRequests : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void groupRoundTrip();
    void receiptsRoundTrip();
    void refusalsKeepTheirCodes();

private:
    QString cachePath(const QString &name) const { return m_dir->filePath(name + ".sqlite"); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ChildServer> m_server;
};

void TestGroupRequests::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = std::make_unique<ChildServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TestGroupRequests::cleanup()
{
    m_server.reset();
    m_dir.reset();
}

void TestGroupRequests::groupRoundTrip()
{
    Member a, b, c, d;
    QVERIFY(a.make(cachePath("a"), m_server->url(), QStringLiteral("owner")));
    QVERIFY(b.make(cachePath("b"), m_server->url(), QStringLiteral("bea")));
    QVERIFY(c.make(cachePath("c"), m_server->url(), QStringLiteral("cem")));
    QVERIFY(d.make(cachePath("d"), m_server->url(), QStringLiteral("dan")));

    const Result<QString> group =
        QCoro::waitFor(a.groups->createGroup(QStringLiteral("Crew"), {b.userId, c.userId}));
    QVERIFY(group);
    auto summary = a.onServer(*group);
    QVERIFY(summary);
    QCOMPARE(summary->name, QStringLiteral("Crew"));
    QCOMPARE(memberIds(*summary), sorted({a.userId, b.userId, c.userId}));
    QCOMPARE(roleIn(*summary, a.userId), std::optional(protocol::Role::Owner));

    QVERIFY(QCoro::waitFor(a.groups->addMembers(*group, {d.userId})).ok());
    QVERIFY(QCoro::waitFor(a.groups->renameGroup(*group, QStringLiteral("Crew 2"))).ok());
    QVERIFY(QCoro::waitFor(a.groups->setRole(*group, b.userId, protocol::Role::Admin)).ok());
    summary = d.onServer(*group); // the new member sees it, renamed, with the new admin
    QVERIFY(summary);
    QCOMPARE(summary->name, QStringLiteral("Crew 2"));
    QCOMPARE(memberIds(*summary), sorted({a.userId, b.userId, c.userId, d.userId}));
    QCOMPARE(roleIn(*summary, b.userId), std::optional(protocol::Role::Admin));
    QCOMPARE(roleIn(*summary, c.userId), std::optional(protocol::Role::Member));

    QVERIFY(QCoro::waitFor(b.groups->removeMember(*group, c.userId)).ok()); // an admin removes
    QVERIFY(QCoro::waitFor(d.groups->leaveConversation(*group)).ok());
    summary = a.onServer(*group);
    QVERIFY(summary);
    QCOMPARE(memberIds(*summary), sorted({a.userId, b.userId}));
    QVERIFY(!c.onServer(*group)); // gone from the lists of those who left
    QVERIFY(!d.onServer(*group));
}

void TestGroupRequests::receiptsRoundTrip()
{
    Member a, b;
    QVERIFY(a.make(cachePath("a"), m_server->url(), QStringLiteral("alice")));
    QVERIFY(b.make(cachePath("b"), m_server->url(), QStringLiteral("bob")));
    const Result<QString> group =
        QCoro::waitFor(a.groups->createGroup(QStringLiteral("Pair"), {b.userId}));
    QVERIFY(group);
    const auto ack =
        QCoro::waitFor(a.connection->call(protocol::SendMessageRequest{*group,
                                                                       protocol::MessageKind::Text,
                                                                       QStringLiteral("read me"),
                                                                       {},
                                                                       {},
                                                                       {},
                                                                       false,
                                                                       {},
                                                                       {},
                                                                       true}));
    QVERIFY(ack);
    const qint64 seq = ack->seq;

    // Nothing read yet: one other member, the message not read.
    const auto before = QCoro::waitFor(a.groups->receipts(*group, seq));
    QVERIFY(before);
    QCOMPARE(before->size(), 1);
    QCOMPARE(before->first().userId, b.userId);
    QVERIFY(!before->first().read);

    // b reads it; a later request on b's connection is answered after the watermark is stored.
    QVERIFY(b.connection->notify(protocol::ReadRequest{*group, seq, {}}));
    QVERIFY(b.onServer(*group));
    const auto after = QCoro::waitFor(a.groups->receipts(*group, seq));
    QVERIFY(after);
    QCOMPARE(after->size(), 1);
    QVERIFY(after->first().read);
    QVERIFY(after->first().delivered);
    QCOMPARE(after->first().readSeq, seq);
}

void TestGroupRequests::refusalsKeepTheirCodes()
{
    Member a, b, c;
    QVERIFY(a.make(cachePath("a"), m_server->url(), QStringLiteral("owner")));
    QVERIFY(b.make(cachePath("b"), m_server->url(), QStringLiteral("bea")));
    QVERIFY(c.make(cachePath("c"), m_server->url(), QStringLiteral("cem")));
    const Result<QString> group =
        QCoro::waitFor(a.groups->createGroup(QStringLiteral("Crew"), {b.userId, c.userId}));
    QVERIFY(group);

    const Status again = QCoro::waitFor(a.groups->addMembers(*group, {b.userId}));
    QVERIFY(!again.ok());
    QCOMPARE(again.error().code, ErrorCode::Conflict);
    QVERIFY(!again.error().isTransport());
    // A plain member may neither remove anyone nor change roles.
    const Status removing = QCoro::waitFor(c.groups->removeMember(*group, b.userId));
    QVERIFY(!removing.ok());
    QCOMPARE(removing.error().code, ErrorCode::Forbidden);
    const Status promoting =
        QCoro::waitFor(c.groups->setRole(*group, c.userId, protocol::Role::Admin));
    QVERIFY(!promoting.ok());
    QCOMPARE(promoting.error().code, ErrorCode::Forbidden);
    // Unknown conversation: the server's answer is passed on, not hidden.
    const Status missing =
        QCoro::waitFor(a.groups->renameGroup(QStringLiteral("c-none"), QStringLiteral("x")));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    QVERIFY(!missing.error().isTransport());
    const auto stranger = QCoro::waitFor(b.groups->receipts(QStringLiteral("c-none"), 1));
    QVERIFY(!stranger);
    QCOMPARE(stranger.error().code, ErrorCode::NotFound);

    // Offline: a transport error at once, no hang.
    m_server->kill();
    QTRY_VERIFY_WITH_TIMEOUT(a.connection->state() != State::Online, kPartWaitMs);
    const Status offline = QCoro::waitFor(a.groups->leaveConversation(*group));
    QVERIFY(!offline.ok());
    QCOMPARE(offline.error().code, ErrorCode::Internal);
    QCOMPARE(offline.error().transport, std::optional(TransportFailure::Offline));
}

QTEST_GUILESS_MAIN(TestGroupRequests)
#include "tst_grouprequests.moc"
