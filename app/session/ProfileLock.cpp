#include "app/session/ProfileLock.h"

#include "app/session/AppSettings.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>
#include <QLoggingCategory>
#include <QThread>

namespace tern::app::session {

namespace {
Q_LOGGING_CATEGORY(lcLock, "tern.profile")

const QByteArray kActivate = QByteArrayLiteral("activate\n");
const QByteArray kShown = QByteArrayLiteral("shown\n");
} // namespace

ProfileLock::ProfileLock(QString profileDir, QObject *parent)
    : QObject(parent), m_profileDir(std::move(profileDir))
{}

ProfileLock::~ProfileLock() = default;

QString ProfileLock::lockFilePath(const QString &profileDir)
{
    return QDir(profileDir).filePath(QStringLiteral("tern.lock"));
}

QString ProfileLock::serverName(const QString &profileDir)
{
    const QString path = QFileInfo(profileDir).absoluteFilePath();
    const QByteArray hash =
        QCryptographicHash::hash(path.toUtf8(), QCryptographicHash::Sha256).toHex().left(24);
    return QStringLiteral("tern-") + QString::fromLatin1(hash);
}

bool ProfileLock::acquire()
{
    AppSettings::makePrivateDir(m_profileDir);
    m_lock = std::make_unique<QLockFile>(lockFilePath(m_profileDir));
    // Held for as long as the app runs: never stale by age, only when its process is gone.
    m_lock->setStaleLockTime(0);
    if (!m_lock->tryLock(0)) {
        m_lock.reset();
        return false;
    }
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    const QString name = serverName(m_profileDir);
    QLocalServer::removeServer(name); // a crashed owner's socket file; we hold the lock now
    if (!m_server->listen(name))
        qCWarning(lcLock) << "second launches cannot reach this one:" << m_server->errorString();
    connect(m_server, &QLocalServer::newConnection, this, &ProfileLock::onConnection);
    return true;
}

void ProfileLock::onConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (socket->bytesAvailable() > kActivate.size()) { // not a Tern: ignore it
                socket->abort();
                return;
            }
            if (!socket->canReadLine())
                return;
            if (socket->readLine() == kActivate) {
                emit activationRequested();
                socket->write(kShown);
            }
            socket->disconnectFromServer();
        });
    }
}

bool ProfileLock::activateRunning(const QString &profileDir, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    // The owner may have taken the lock a moment ago and not be listening yet: retry.
    while (!deadline.hasExpired()) {
        QLocalSocket socket;
        socket.connectToServer(serverName(profileDir));
        if (!socket.waitForConnected(int(qMin<qint64>(1'000, deadline.remainingTime())))) {
            QThread::msleep(100);
            continue;
        }
        socket.write(kActivate);
        QByteArray answer;
        while (!answer.endsWith('\n') && !deadline.hasExpired() &&
               socket.waitForReadyRead(int(deadline.remainingTime())))
            answer += socket.readAll();
        return answer == kShown;
    }
    return false;
}

} // namespace tern::app::session
