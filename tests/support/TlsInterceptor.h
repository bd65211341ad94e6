#pragma once

//! A TLS "man in the middle" in front of a test server (tests): it presents its own certificate,
//! decrypts what a client sends, and forwards it over a second TLS connection to the real server.
//
// What a client sent in plaintext is counted and kept (bounded), so a test can show that a client
// which refused the interceptor's certificate sent nothing through it: not the WebSocket upgrade
// request, not a bearer token. A client that accepts the certificate works through it as through
// the real server (the positive control).

#include <QByteArray>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>
#include <QUrl>

namespace tern::test {

class TlsInterceptor : public QTcpServer
{
    Q_OBJECT
public:
    //! Presents the PEM certificate/key in the given files; forwards to 127.0.0.1:targetPort
    //! (0: nowhere, a TLS endpoint only).
    TlsInterceptor(quint16 targetPort, const QString &certFile, const QString &keyFile,
                   QObject *parent = nullptr);
    //! Listens on 127.0.0.1 (any port); false when the certificate/key did not load.
    bool start();
    //! wss://127.0.0.1:PORT/ws
    QUrl url() const;
    QSslCertificate certificate() const { return m_certificate; }

    //! Plaintext bytes decrypted from clients so far.
    qint64 decryptedBytes() const { return m_decryptedBytes; }
    //! Their first 1 MiB.
    QByteArray decrypted() const { return m_decrypted; }
    //! TCP connections accepted / TLS handshakes completed with clients.
    int connections() const { return m_connections; }
    int handshakes() const { return m_handshakes; }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    quint16 m_targetPort;
    QSslCertificate m_certificate;
    QSslKey m_key;
    qint64 m_decryptedBytes = 0;
    QByteArray m_decrypted;
    int m_connections = 0;
    int m_handshakes = 0;
};

} // namespace tern::test
