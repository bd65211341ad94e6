#include "SqlStore.h"

#include "server/store/SqlHelpers.h"
#include "server/store/SqlRows.h"
#include "shared/core/Clock.h"
#include "shared/crypto/Crypto.h"
#include "shared/sql/Migrations.h"

#include <QAtomicInt>
#include <QDir>
#include <QElapsedTimer>
#include <QSqlQuery>

namespace tern::server::store {

using tern::sql::Migrations;

namespace {
const QString kMigrations = QStringLiteral(":/tern/migrations");

QString nextConnectionName()
{
    static QAtomicInt counter;
    return QStringLiteral("tern-store-%1").arg(counter.fetchAndAddRelaxed(1));
}

Error notFound(const QString &what)
{
    return Error{ErrorCode::NotFound, what};
}
} // namespace

bool isStorageFull(const Error &error)
{
    return tern::sql::isStorageFull(error);
}

SqlStore::SqlStore(QString dataDir)
    : m_dataDir(std::move(dataDir)),
      m_worker(std::make_unique<SqlWorker>(QStringLiteral("QSQLITE"), nextConnectionName()))
{}

SqlStore::~SqlStore()
{
    // A deletion's text leaves the index's file before ternd stops (the worker runs this before
    // its thread ends; one transaction is fine now that nobody waits for a send).
    // Bounded in time: a stop must not outlast a service manager's patience; what is left stays
    // marked and the purger finishes it after the next start.
    m_worker->write<bool>([](SqlDb &db) -> Result<bool> {
        constexpr int kMaxSteps = 100'000;
        constexpr qint64 kBudgetMs = 10'000;
        QElapsedTimer spent;
        spent.start();
        for (int step = 0; step < kMaxSteps && !spent.hasExpired(kBudgetMs); ++step) {
            const Result<bool> more = ops::purgeSearchIndex(db, 256);
            if (!more.ok() || !*more)
                return more;
        }
        return true;
    });
}

int SqlStore::schemaVersion()
{
    return Migrations::latestVersion(kMigrations);
}

Status SqlStore::start()
{
    const QString path = QDir(m_dataDir).filePath(QStringLiteral("ternd.sqlite"));
    return m_worker->start([path](SqlDb &db) -> Status {
        db.database().setDatabaseName(path);
        db.database().setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.database().open())
            return Error{ErrorCode::Internal, QStringLiteral("cannot open database ") + path};
        // WAL + FULL: a commit is on disk (fsync'd) before we ack anything that depends on it.
        // secure_delete: a deleted message's text is overwritten in the file, not just unlinked
        // (Debian's SQLite does this by default; other builds must too).
        for (const char *pragma :
             {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
              "PRAGMA temp_store=MEMORY", "PRAGMA secure_delete=ON"}) {
            if (!db.execDirect(QString::fromLatin1(pragma)))
                return db.failure();
        }
        return Migrations::migrate(db, kMigrations);
    });
}

QFuture<Status> SqlStore::flush()
{
    return m_worker->read<Ok>([](SqlDb &) -> Status { return Ok{}; });
}

// ---- accounts and devices ------------------------------------------------------------------

QFuture<Result<QString>> SqlStore::createUser(QString name, QString displayName,
                                              QString passwordHash)
{
    return m_worker->write<QString>([=](SqlDb &db) -> Result<QString> {
        QSqlQuery *exists = db.prepared(QStringLiteral("SELECT 1 FROM users WHERE name = ?"));
        if (!db.run(exists, {name}))
            return db.failure();
        if (exists->next())
            return Error{ErrorCode::Conflict, QStringLiteral("user name is taken")};
        const QString id = crypto::randomId(QStringLiteral("u"));
        QSqlQuery *insert = db.prepared(
            QStringLiteral("INSERT INTO users (id, name, display_name, password_hash, created_ms) "
                           "VALUES (?, ?, ?, ?, ?)"));
        if (!db.run(insert, {id, name, displayName, passwordHash, nowMs()}))
            return db.failure();
        return id;
    });
}

QFuture<Result<UserRecord>> SqlStore::findUserByName(QString name)
{
    return m_worker->read<UserRecord>([=](SqlDb &db) -> Result<UserRecord> {
        QSqlQuery *q = db.prepared(QStringLiteral(
            "SELECT id, name, display_name, password_hash, disabled FROM users WHERE name = ?"));
        if (!db.run(q, {name}))
            return db.failure();
        if (!q->next())
            return notFound(QStringLiteral("no such user"));
        return UserRecord{q->value(0).toString(), q->value(1).toString(), q->value(2).toString(),
                          q->value(3).toString(), q->value(4).toInt() != 0};
    });
}

QFuture<Status> SqlStore::setPasswordHash(QString userId, QString passwordHash)
{
    return m_worker->write<Ok>([=](SqlDb &db) -> Status {
        QSqlQuery *q =
            db.prepared(QStringLiteral("UPDATE users SET password_hash = ? WHERE id = ?"));
        if (!db.run(q, {passwordHash, userId}))
            return db.failure();
        if (q->numRowsAffected() < 1)
            return notFound(QStringLiteral("no such user"));
        // A new password signs every device out: whoever knew the old one keeps nothing.
        QSqlQuery *revoke =
            db.prepared(QStringLiteral("UPDATE devices SET revoked = 1 WHERE user_id = ?"));
        if (!db.run(revoke, {userId}))
            return db.failure();
        return Ok{};
    });
}

QFuture<Status> SqlStore::setDisabled(QString userId, bool disabled)
{
    return m_worker->write<Ok>([=](SqlDb &db) -> Status {
        QSqlQuery *q = db.prepared(QStringLiteral("UPDATE users SET disabled = ? WHERE id = ?"));
        if (!db.run(q, {disabled ? 1 : 0, userId}))
            return db.failure();
        if (q->numRowsAffected() < 1)
            return notFound(QStringLiteral("no such user"));
        if (disabled) {
            // Its tokens go in the same commit, so no device can `auth` again. Live connections
            // are not the store's: AdminService's sign-out closes them (Router::closeUserSessions)
            // when the command reached a running server; a direct database edit leaves them open.
            QSqlQuery *revoke =
                db.prepared(QStringLiteral("UPDATE devices SET revoked = 1 WHERE user_id = ?"));
            if (!db.run(revoke, {userId}))
                return db.failure();
        }
        return Ok{};
    });
}

QFuture<Status> SqlStore::setDisplayName(QString userId, QString displayName)
{
    return m_worker->write<Ok>([=](SqlDb &db) -> Status {
        QSqlQuery *q =
            db.prepared(QStringLiteral("UPDATE users SET display_name = ? WHERE id = ?"));
        if (!db.run(q, {displayName, userId}))
            return db.failure();
        if (q->numRowsAffected() < 1)
            return notFound(QStringLiteral("no such user"));
        return Ok{};
    });
}

QFuture<Result<QList<UserRecord>>> SqlStore::listUsers()
{
    return m_worker->read<QList<UserRecord>>([](SqlDb &db) -> Result<QList<UserRecord>> {
        QSqlQuery *q = db.prepared(QStringLiteral(
            "SELECT id, name, display_name, password_hash, disabled FROM users ORDER BY name"));
        if (!db.run(q))
            return db.failure();
        QList<UserRecord> users;
        while (q->next())
            users.append({q->value(0).toString(), q->value(1).toString(), q->value(2).toString(),
                          q->value(3).toString(), q->value(4).toInt() != 0});
        return users;
    });
}

QFuture<Result<QString>> SqlStore::createDevice(QString userId, QString deviceName,
                                                QString tokenHash)
{
    return m_worker->write<QString>([=](SqlDb &db) -> Result<QString> {
        const QString id = crypto::randomId(QStringLiteral("d"));
        QSqlQuery *insert = db.prepared(
            QStringLiteral("INSERT INTO devices (id, user_id, name, token_hash, created_ms, "
                           "hidden_pos) VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(pos), 0) "
                           "FROM hidden_messages WHERE user_id = ?))"));
        // hidden_pos: a new device reads history, which already leaves out the user's hides.
        if (!db.run(insert, {id, userId, deviceName, tokenHash, nowMs(), userId}))
            return db.failure();
        // The device starts where each of the user's conversations stands now; older
        // messages reach it through history, not sync.
        QSqlQuery *positions = db.prepared(QStringLiteral(
            "INSERT INTO device_positions (device_id, conversation_id, seq) "
            "SELECT ?, m.conversation_id, COALESCE(m.left_seq, c.last_seq) FROM members m "
            "JOIN conversations c ON c.id = m.conversation_id WHERE m.user_id = ?"));
        if (!db.run(positions, {id, userId}))
            return db.failure();
        return id;
    });
}

QFuture<Result<DeviceSession>> SqlStore::authenticateToken(QString tokenHash)
{
    return m_worker->read<DeviceSession>([=](SqlDb &db) -> Result<DeviceSession> {
        QSqlQuery *q = db.prepared(QStringLiteral(
            "SELECT d.id, d.user_id, u.disabled, COALESCE(d.last_used_ms, d.created_ms) "
            "FROM devices d JOIN users u ON u.id = d.user_id "
            "WHERE d.token_hash = ? AND d.revoked = 0"));
        if (!db.run(q, {tokenHash}))
            return db.failure();
        if (!q->next())
            return Error{ErrorCode::Unauthenticated, QStringLiteral("invalid or revoked token")};
        if (q->value(2).toInt() != 0)
            return Error{ErrorCode::Forbidden, QStringLiteral("this account is disabled")};
        return DeviceSession{q->value(1).toString(), q->value(0).toString(),
                             q->value(3).toLongLong()};
    });
}

QFuture<Status> SqlStore::touchDevice(QString deviceId)
{
    return m_worker->write<Ok>([=](SqlDb &db) -> Status {
        QSqlQuery *q =
            db.prepared(QStringLiteral("UPDATE devices SET last_used_ms = ? WHERE id = ?"));
        if (!db.run(q, {nowMs(), deviceId}))
            return db.failure();
        return Ok{};
    });
}

QFuture<Status> SqlStore::revokeDevice(QString deviceId)
{
    return m_worker->write<Ok>([=](SqlDb &db) -> Status {
        QSqlQuery *q = db.prepared(QStringLiteral("UPDATE devices SET revoked = 1 WHERE id = ?"));
        if (!db.run(q, {deviceId}))
            return db.failure();
        return Ok{};
    });
}

QFuture<Result<QList<protocol::UserInfo>>> SqlStore::searchUsers(QString query, int limit)
{
    return m_worker->read<QList<protocol::UserInfo>>([=](SqlDb &db)
                                                         -> Result<QList<protocol::UserInfo>> {
        QString escaped = query;
        escaped.replace(QLatin1String("\\"), QLatin1String("\\\\"))
            .replace(QLatin1String("%"), QLatin1String("\\%"))
            .replace(QLatin1String("_"), QLatin1String("\\_"));
        const QString pattern = QLatin1Char('%') + escaped + QLatin1Char('%');
        QSqlQuery *q = db.prepared(QStringLiteral(
            "SELECT id, name, display_name FROM users WHERE disabled = 0 AND "
            "(name LIKE ? ESCAPE '\\' OR display_name LIKE ? ESCAPE '\\') ORDER BY name "
            "LIMIT ?"));
        if (!db.run(q, {pattern, pattern, limit}))
            return db.failure();
        QList<protocol::UserInfo> users;
        while (q->next())
            users.append({q->value(0).toString(), q->value(1).toString(), q->value(2).toString()});
        return users;
    });
}

QFuture<Result<QList<protocol::UserInfo>>> SqlStore::users(QString asker, QStringList ids)
{
    ids.removeDuplicates();
    return m_worker->read<QList<protocol::UserInfo>>(
        [=](SqlDb &db) -> Result<QList<protocol::UserInfo>> {
            // One indexed lookup per id (at most 500): members_user and the members primary key.
            QSqlQuery *q = db.prepared(QStringLiteral(
                "SELECT u.id, u.name, u.display_name FROM users u WHERE u.id = ? AND (u.id = ? OR "
                "EXISTS (SELECT 1 FROM members mine JOIN members other ON other.conversation_id = "
                "mine.conversation_id AND other.user_id = u.id WHERE mine.user_id = ?))"));
            QList<protocol::UserInfo> users;
            for (const QString &id : ids) {
                if (!db.run(q, {id, asker, asker}))
                    return db.failure();
                if (q->next())
                    users.append(
                        {q->value(0).toString(), q->value(1).toString(), q->value(2).toString()});
                q->finish();
            }
            return users;
        });
}

} // namespace tern::server::store
