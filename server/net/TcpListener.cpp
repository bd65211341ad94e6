#include "TcpListener.h"

#include "server/auth/ClientAddress.h"

#include "shared/core/Log.h"

#include <QSslSocket>
#include <QTimer>

#include <utility>

namespace tern::server::net {

TcpListener::TcpListener(const Options &options, QObject *parent)
    : QTcpServer(parent), m_options(options)
{}

void TcpListener::setSslConfiguration(const QSslConfiguration &ssl)
{
    m_ssl = ssl;
    m_secure = true;
}

QHostAddress TcpListener::normalized(const QHostAddress &address)
{
    return auth::limitedAddress(address);
}

int TcpListener::connectionsFrom(const QHostAddress &address) const
{
    return m_counts->perAddress.value(normalized(address));
}

void TcpListener::refuse(QTcpSocket *socket)
{
    socket->abort();
    delete socket;
}

void TcpListener::incomingConnection(qintptr descriptor)
{
    QTcpSocket *socket = m_secure ? new QSslSocket(this) : new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    if (m_options.maxConnections > 0 && m_counts->total >= m_options.maxConnections) {
        // Closed rather than left in the kernel's backlog: the client learns at once and
        // retries, and nothing of ours (not even a TLS context) is spent on it.
        if (!std::exchange(m_counts->fullReported, true))
            qCWarning(lcNet) << "connection limit reached:" << m_counts->total
                             << "connections (TLS handshakes included); refusing new ones";
        refuse(socket);
        return;
    }
    if (m_counts->total < m_options.maxConnections - m_options.maxConnections / 10)
        m_counts->fullReported = false; // well below the cap again: say so when it is next hit
    const QHostAddress peer = normalized(socket->peerAddress());
    const bool perAddress =
        m_options.maxPerAddress > 0 && (m_options.limitLoopback || !peer.isLoopback());
    if (perAddress && m_counts->perAddress.value(peer) >= m_options.maxPerAddress) {
        qCInfo(lcNet) << "refusing a connection from" << peer.toString()
                      << ": too many connections from this address";
        refuse(socket);
        return;
    }
    new ConnectionSlot(m_counts, perAddress ? peer : QHostAddress(), socket);
    if (!m_secure) {
        addPendingConnection(socket);
        return;
    }
    auto *ssl = static_cast<QSslSocket *>(socket);
    ssl->setSslConfiguration(m_ssl);
    // Until it is handed on, the socket is ours to drop.
    connect(ssl, &QSslSocket::encrypted, this, [this, ssl] {
        ssl->disconnect(this);
        addPendingConnection(ssl);
    });
    connect(ssl, &QAbstractSocket::disconnected, this, [ssl] { ssl->deleteLater(); });
    connect(ssl, &QSslSocket::sslErrors, this, [ssl] { ssl->abort(); });
    QTimer::singleShot(m_options.tlsHandshakeTimeoutMs, ssl, [ssl] {
        if (!ssl->isEncrypted()) {
            qCInfo(lcNet) << "dropping" << ssl->peerAddress().toString()
                          << ": no TLS handshake in time";
            ssl->abort();
        }
    });
    // The TLS session is set up once the client says hello (as QSslServer does): a connection
    // that stays silent costs a socket, not a TLS context.
    auto hello = std::make_shared<QMetaObject::Connection>();
    *hello = connect(ssl, &QIODevice::readyRead, this, [ssl, hello] {
        char first = 0;
        if (ssl->peek(&first, 1) != 1)
            return;
        QObject::disconnect(*hello);
        if (first != 0x16) { // not a TLS handshake record: plain HTTP to a wss:// port
            ssl->abort();
            return;
        }
        ssl->startServerEncryption();
    });
}

ConnectionSlot::ConnectionSlot(std::shared_ptr<TcpListener::Counts> counts,
                               const QHostAddress &address, QObject *parent)
    : QObject(parent), m_counts(std::move(counts)), m_address(address)
{
    ++m_counts->total;
    if (!m_address.isNull())
        ++m_counts->perAddress[m_address];
}

ConnectionSlot::~ConnectionSlot()
{
    --m_counts->total;
    if (m_address.isNull())
        return;
    auto it = m_counts->perAddress.find(m_address);
    if (it != m_counts->perAddress.end() && --it.value() <= 0)
        m_counts->perAddress.erase(it);
}

void ConnectionSlot::transfer(QObject *from, QObject *to)
{
    if (auto *slot = from->findChild<ConnectionSlot *>(QString(), Qt::FindDirectChildrenOnly))
        slot->setParent(to);
}

} // namespace tern::server::net
