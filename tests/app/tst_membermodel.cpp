// MemberListModel against real ChatClients and an in-process ternd: rows follow membership
// changes (system messages), roles and their order (owner, admins, members, then name), names
// from the UserDirectory, presence and the online count. QAbstractItemModelTester watches it.

#include "app/client/GroupRequests.h"
#include "app/client/Inbox.h"
#include "app/models/MemberListModel.h"
#include "app/models/UserDirectory.h"
#include "tests/app/AppTestAccount.h"
#include "tests/app/EventBarrier.h"
#include "tests/support/ServerFixture.h"
#include "tests/support/TestUtil.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace tern;
using namespace tern::test;
using tern::app::client::ChatClient;
using tern::app::models::MemberListModel;
using tern::app::models::UserDirectory;
using Role = MemberListModel::Role;
using Tester = QAbstractItemModelTester;

namespace {

constexpr int kWaitMs = 20'000;

QVariant roleOf(const MemberListModel &model, const QString &user, int role)
{
    const int row = model.rowOf(user);
    return row < 0 ? QVariant() : model.index(row).data(role);
}

QStringList column(const MemberListModel &model, int role)
{
    QStringList values;
    for (int row = 0; row < model.rowCount(); ++row)
        values << model.index(row).data(role).toString();
    return values;
}

std::optional<protocol::ConversationSummary> findConversation(ChatClient *client,
                                                              const QString &conversation)
{
    const auto list = QCoro::waitFor(client->inbox()->conversations());
    if (!list)
        return std::nullopt;
    for (const protocol::ConversationSummary &summary : *list) {
        if (summary.conversation == conversation)
            return summary;
    }
    return std::nullopt;
}

} // namespace

class TestMemberModel : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void rowsFollowMembership();
    void presenceAndCounts();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ServerFixture> m_server;
};

void TestMemberModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<ServerFixture>();
    m_server->config().presenceMinIntervalMs = 0;
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TestMemberModel::cleanup()
{
    m_server.reset();
    QVERIFY(runQueuedWork()); // what the teardown resumed, before the directory goes
    m_dir.reset();
}

void TestMemberModel::rowsFollowMembership()
{
    AppTestAccount a, b, c;
    QVERIFY(a.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("ann"))));
    QVERIFY(b.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("bob"))));
    QVERIFY(c.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("cid"))));
    const Result<QString> group =
        QCoro::waitFor(a.client->groups()->createGroup(QStringLiteral("Team"), {b.userId}));
    QVERIFY(group);
    const auto summary = findConversation(a.client.get(), *group);
    QVERIFY(summary);

    UserDirectory directory(a.client.get(), a.store.get());
    MemberListModel model(a.client.get(), &directory, *summary);
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.conversationId(), *group);
    QCOMPARE(column(model, Role::UserIdRole), (QStringList{a.userId, b.userId}));
    QCOMPARE(roleOf(model, a.userId, Role::RoleRole).toString(), QStringLiteral("owner"));
    QCOMPARE(roleOf(model, b.userId, Role::RoleRole).toString(), QStringLiteral("member"));
    QVERIFY(roleOf(model, a.userId, Role::IsMeRole).toBool());
    QVERIFY(!roleOf(model, b.userId, Role::IsMeRole).toBool());
    QVERIFY(model.myRole() == protocol::Role::Owner);
    // Names come from the directory (fetched for the members).
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(model, b.userId, Qt::DisplayRole).toString(), b.name.toUpper(),
                              kWaitMs);
    QCOMPARE(roleOf(model, b.userId, Role::AvatarInitialsRole).toString(), QStringLiteral("B"));
    const int hue = roleOf(model, b.userId, Role::AvatarHueRole).toInt();
    QVERIFY(hue >= 0 && hue < 360);

    QSignalSpy counts(&model, &MemberListModel::countsChanged);
    QVERIFY(QCoro::waitFor(a.client->groups()->addMembers(*group, {c.userId})).ok());
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, kWaitMs);
    QVERIFY(!counts.isEmpty());
    QCOMPARE(roleOf(model, c.userId, Role::RoleRole).toString(), QStringLiteral("member"));
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(model, c.userId, Role::DisplayNameRole).toString(),
                              c.name.toUpper(), kWaitMs);
    QCOMPARE(column(model, Role::UserIdRole), (QStringList{a.userId, b.userId, c.userId}));

    // An admin sorts before the members.
    QVERIFY(
        QCoro::waitFor(a.client->groups()->setRole(*group, c.userId, protocol::Role::Admin)).ok());
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(model, c.userId, Role::RoleRole).toString(),
                              QStringLiteral("admin"), kWaitMs);
    QCOMPARE(column(model, Role::UserIdRole), (QStringList{a.userId, c.userId, b.userId}));
    const QString accessible = roleOf(model, c.userId, Qt::AccessibleTextRole).toString();
    QVERIFY2(accessible.startsWith(c.name.toUpper() + QStringLiteral(", admin, ")),
             qPrintable(accessible));

    // Removed: the row goes.
    counts.clear();
    QVERIFY(QCoro::waitFor(a.client->groups()->removeMember(*group, b.userId)).ok());
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, kWaitMs);
    QCOMPARE(model.rowOf(b.userId), -1);
    QVERIFY(!counts.isEmpty());
    QVERIFY(!model.roleOf(b.userId));

    // Another member's model sees the same changes (c leaves; a's model drops c).
    QVERIFY(QCoro::waitFor(c.client->groups()->leaveConversation(*group)).ok());
    QTRY_COMPARE_WITH_TIMEOUT(column(model, Role::UserIdRole), QStringList{a.userId}, kWaitMs);
    a.destroy();
    b.destroy();
    c.destroy();
}

void TestMemberModel::presenceAndCounts()
{
    AppTestAccount a, b, c;
    QVERIFY(a.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("ann"))));
    QVERIFY(b.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("bob"))));
    QVERIFY(c.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("cid"))));
    const Result<QString> group = QCoro::waitFor(
        a.client->groups()->createGroup(QStringLiteral("Team"), {b.userId, c.userId}));
    QVERIFY(group);
    const auto summary = findConversation(a.client.get(), *group);
    QVERIFY(summary);

    // Restart a's client with the directory in place: the status comes with the sync.
    a.client.reset();
    a.client = std::make_unique<ChatClient>(a.store.get());
    UserDirectory directory(a.client.get(), a.store.get());
    MemberListModel model(a.client.get(), &directory, *summary);
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    QCOMPARE(model.onlineCount(), 0); // not connected: nobody, ourselves included
    QVERIFY(QCoro::waitFor(a.client->connection()->resume()).ok());
    QTRY_COMPARE_WITH_TIMEOUT(model.onlineCount(), 3, kWaitMs);
    QVERIFY(roleOf(model, b.userId, Role::IsOnlineRole).toBool());
    QVERIFY(roleOf(model, a.userId, Role::IsOnlineRole).toBool());

    QSignalSpy counts(&model, &MemberListModel::countsChanged);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    c.client.reset(); // c closes the app
    QTRY_COMPARE_WITH_TIMEOUT(model.onlineCount(), 2, kWaitMs);
    QVERIFY(!counts.isEmpty());
    QVERIFY(!changed.isEmpty());
    QVERIFY(!roleOf(model, c.userId, Role::IsOnlineRole).toBool());
    QVERIFY(roleOf(model, c.userId, Role::LastSeenRole).toLongLong() > 0);
    QVERIFY2(roleOf(model, c.userId, Qt::AccessibleTextRole)
                 .toString()
                 .endsWith(QStringLiteral(", member, offline")),
             qPrintable(roleOf(model, c.userId, Qt::AccessibleTextRole).toString()));
    QVERIFY(roleOf(model, b.userId, Qt::AccessibleTextRole)
                .toString()
                .endsWith(QStringLiteral(", online")));
    a.destroy();
    b.destroy();
    c.destroy();
}

QTEST_GUILESS_MAIN(TestMemberModel)
#include "tst_membermodel.moc"
