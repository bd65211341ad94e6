#pragma once

// One HTTP/1.1 connection on ternd's port: reads request heads (bounded), answers a WebSocket
// upgrade and hands the socket on, lets a handler pull the body and
// stream the response with back-pressure, and keeps the connection alive between requests.
// Lives on the socket thread and deletes itself when the socket goes.

#include "server/http/HttpRequestHead.h"
#include "shared/protocol/HttpAnswers.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

namespace tern::server::http {

class HttpConnection;

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

//! Serves one request; called once per request head. It must end with respond() or
//! beginResponse() + writeBody()… + endResponse(), possibly later (asynchronously).
class HttpHandler
{
public:
    virtual ~HttpHandler() = default;
    virtual void serve(HttpConnection *connection) = 0;
};

class HttpConnection : public QObject
{
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, HttpHandler &handler, QObject *parent = nullptr);
    ~HttpConnection() override;

    const HttpRequestHead &request() const { return m_request; }
    //! Browser origins allowed to upgrade to a WebSocket (WsHandshake::originAllowed).
    void setAllowedOrigins(const QStringList &origins) { m_allowedOrigins = origins; }
    QTcpSocket *socket() const { return m_socket; }

    //! Body bytes the client has yet to deliver or we have yet to read.
    qint64 bodyRemaining() const { return m_bodyRemaining; }
    //! Up to `max` body bytes that have arrived (possibly none; wait for bodyReadable).
    QByteArray readBody(qint64 max);

    void respond(int status, const QByteArray &contentType, const QByteArray &body,
                 const HeaderList &extra = {});
    //! A JSON answer: one of the bodies in shared/protocol/HttpAnswers.h.
    template <typename Answer>
    void respondAnswer(int status, const Answer &answer, const HeaderList &extra = {})
    {
        respond(status, "application/json", protocol::encodeHttpAnswer(answer), extra);
    }
    //! `{"code","message"}`; an error with more fields goes through respondAnswer.
    void respondError(int status, const QString &code, const QString &message);
    void beginResponse(int status, const HeaderList &headers, qint64 contentLength);
    void writeBody(const QByteArray &data);
    void endResponse();
    //! Response bytes not yet handed to the kernel.
    qint64 unsentBytes() const;
    //! Stop this connection now (e.g. another request took over its upload).
    void abort();

    static QByteArray reasonPhrase(int status);

signals:
    //! More body bytes arrived, or the body is complete.
    void bodyReadable();
    //! Unsent response bytes fell below the low-water mark.
    void writable();
    //! A WebSocket upgrade to `path` was accepted, to be answered with `response` (101): the
    //! socket, with any bytes after the request unread, is the caller's now.
    void upgradeRequested(QTcpSocket *socket, const QString &path, const QByteArray &response);
    void closed();

private:
    enum class State { Head, Serving, Done };
    void onReadyRead();
    void onBytesWritten();
    void onDisconnected();
    void startNextRequest();
    void failHead(int status, const QString &message, const HeaderList &extra = {});
    void touch();

    QPointer<QTcpSocket> m_socket;
    HttpHandler &m_handler;
    State m_state = State::Head;
    HttpRequestHead m_request;
    qint64 m_bodyRemaining = 0;
    bool m_responding = false;
    bool m_closeAfterResponse = false;
    bool m_firstRequest = true;
    QTimer m_idle;
    QStringList m_allowedOrigins;
};

} // namespace tern::server::http
