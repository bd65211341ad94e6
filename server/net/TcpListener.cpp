#include "TcpListener.h"

#include "server/auth/ClientAddress.h"

#include "shared/core/Log.h"

#include <QSslSocket>
#include <QTimer>

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
    return m_counts->value(normalized(address));
}

void TcpListener::incomingConnection(qintptr descriptor)
{
    QTcpSocket *socket = m_secure ? new QSslSocket(this) : new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    const QHostAddress peer = normalized(socket->peerAddress());
    const bool counted =
        m_options.maxPerAddress > 0 && (m_options.limitLoopback || !peer.isLoopback());
    if (counted) {
        if (m_counts->value(peer) >= m_options.maxPerAddress) {
            qCInfo(lcNet) << "refusing a connection from" << peer.toString()
                          << ": too many connections from this address";
            socket->abort();
            delete socket;
            return;
        }
        new AddressSlot(m_counts, peer, socket);
    }
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

AddressSlot::AddressSlot(std::shared_ptr<QHash<QHostAddress, int>> counts,
                         const QHostAddress &address, QObject *parent)
    : QObject(parent), m_counts(std::move(counts)), m_address(address)
{
    ++(*m_counts)[m_address];
}

AddressSlot::~AddressSlot()
{
    auto it = m_counts->find(m_address);
    if (it != m_counts->end() && --it.value() <= 0)
        m_counts->erase(it);
}

void AddressSlot::transfer(QObject *from, QObject *to)
{
    if (auto *slot = from->findChild<AddressSlot *>(QString(), Qt::FindDirectChildrenOnly))
        slot->setParent(to);
}

} // namespace tern::server::net
