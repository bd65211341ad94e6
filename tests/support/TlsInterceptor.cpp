#include "tests/support/TlsInterceptor.h"

#include <QFile>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslSocket>

namespace tern::test {

namespace {
constexpr qsizetype kKeepBytes = 1024 * 1024;

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
} // namespace

TlsInterceptor::TlsInterceptor(quint16 targetPort, const QString &certFile, const QString &keyFile,
                               QObject *parent)
    : QTcpServer(parent), m_targetPort(targetPort), m_certificate(readFile(certFile), QSsl::Pem),
      m_key(readFile(keyFile), QSsl::Ec, QSsl::Pem)
{}

bool TlsInterceptor::start()
{
    if (m_certificate.isNull() || m_key.isNull())
        return false;
    return listen(QHostAddress::LocalHost, 0);
}

QUrl TlsInterceptor::url() const
{
    return QUrl(QStringLiteral("wss://127.0.0.1:%1/ws").arg(serverPort()));
}

void TlsInterceptor::incomingConnection(qintptr descriptor)
{
    ++m_connections;
    auto *client = new QSslSocket(this);
    if (!client->setSocketDescriptor(descriptor)) {
        delete client;
        return;
    }
    QSslConfiguration server = QSslConfiguration::defaultConfiguration();
    server.setLocalCertificate(m_certificate);
    server.setPrivateKey(m_key);
    server.setPeerVerifyMode(QSslSocket::VerifyNone);
    client->setSslConfiguration(server);

    // The real server, reached like any client would (its certificate is not checked here:
    // the interceptor is the attacker).
    auto *upstream = new QSslSocket(this);
    upstream->setPeerVerifyMode(QSslSocket::VerifyNone);
    auto pending = std::make_shared<QByteArray>();
    QPointer<QSslSocket> c(client), u(upstream);
    const auto close = [c, u] {
        if (c) {
            c->disconnectFromHost();
            c->deleteLater();
        }
        if (u) {
            u->disconnectFromHost();
            u->deleteLater();
        }
    };
    connect(client, &QSslSocket::encrypted, this, [this] { ++m_handshakes; });
    connect(client, &QSslSocket::readyRead, this, [this, client, u, pending] {
        const QByteArray data = client->readAll();
        m_decryptedBytes += data.size();
        if (m_decrypted.size() < kKeepBytes)
            m_decrypted += data.left(kKeepBytes - m_decrypted.size());
        if (u && u->isEncrypted())
            u->write(data);
        else
            *pending += data;
    });
    connect(upstream, &QSslSocket::encrypted, this, [upstream, pending] {
        upstream->write(*pending);
        pending->clear();
    });
    connect(upstream, &QSslSocket::readyRead, this, [upstream, c] {
        const QByteArray data = upstream->readAll();
        if (c)
            c->write(data);
    });
    connect(client, &QSslSocket::disconnected, this, close);
    connect(upstream, &QSslSocket::disconnected, this, close);
    connect(client, &QSslSocket::errorOccurred, this, close);
    connect(upstream, &QSslSocket::errorOccurred, this, close);
    client->startServerEncryption();
    if (m_targetPort != 0)
        upstream->connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_targetPort);
}

} // namespace tern::test
