#pragma once

//! Asks a server's `GET /api/v1/health` whether a Tern server answers at an address, so the
//! connect screen can say so before it asks for a password.
//
// Threading/lifetime: main thread; one check at a time (a new check() abandons the previous
// one). The reply is owned by the probe's QNetworkAccessManager and bounded by kTimeoutMs, so
// nothing blocks and a silent address ends as NoAnswer.

#include <QObject>
#include <QPointer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace tern::app::client {

class ServerProbe : public QObject
{
    Q_OBJECT
public:
    enum class Outcome {
        Ok,        //!< a Tern server answered
        NoAnswer,  //!< refused, no such host, or silent until the timeout
        NotTern,   //!< something answered, but not a Tern server's health check
        Untrusted, //!< a TLS server whose certificate is not trusted
    };
    Q_ENUM(Outcome)
    static constexpr int kTimeoutMs = 5'000;

    explicit ServerProbe(QObject *parent = nullptr);
    ~ServerProbe() override;

    //! Checks the server of a ws(s):// URL; emits finished() once (unless abandoned).
    void check(const QUrl &server);
    bool isChecking() const;

signals:
    //! `detail` is the network's own words (for the error line), "" when Ok.
    void finished(const QUrl &server, tern::app::client::ServerProbe::Outcome outcome,
                  const QString &detail);

private:
    void onFinished(QNetworkReply *reply, const QUrl &server);

    QNetworkAccessManager *m_http;
    QPointer<QNetworkReply> m_reply;
};

} // namespace tern::app::client
