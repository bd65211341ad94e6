#include "HttpConnection.h"

#include "server/http/ByteRange.h"
#include "server/http/WsHandshake.h"

#include <QTcpSocket>

namespace tern::server::http {

namespace {
constexpr int kHeadTimeoutMs = 10'000;  // a whole head, or the next one on a kept-alive link
constexpr int kStallTimeoutMs = 30'000; // no progress either way while serving
constexpr qint64 kLowWaterBytes = 256 * 1024;
constexpr qint64 kReadBufferBytes = 1024 * 1024;
} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, HttpHandler &handler, QObject *parent)
    : QObject(parent), m_socket(socket), m_handler(handler)
{
    socket->setParent(this);
    // Bodies are pulled in bounded chunks; a capped read buffer makes a fast sender wait on TCP
    // instead of growing our memory.
    socket->setReadBufferSize(kReadBufferBytes);
    m_idle.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        if (m_socket)
            m_socket->abort();
    });
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    m_idle.start(kHeadTimeoutMs);
    // Bytes may have arrived before we connected to readyRead.
    QMetaObject::invokeMethod(this, &HttpConnection::onReadyRead, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::touch()
{
    m_idle.start(m_state == State::Head ? kHeadTimeoutMs : kStallTimeoutMs);
}

void HttpConnection::onReadyRead()
{
    if (!m_socket || m_state == State::Done)
        return;
    if (m_state == State::Serving) {
        if (m_bodyRemaining > 0) {
            touch();
            emit bodyReadable();
        }
        return;
    }
    if (m_socket->bytesAvailable() == 0)
        return;
    // Peek: the head is consumed only once it is complete.
    const QByteArray buffered = m_socket->peek(kMaxHeadBytes + 4);
    const qsizetype end = HttpRequestHead::headEnd(buffered);
    if (end < 0) {
        if (buffered.size() > kMaxHeadBytes)
            failHead(431, QStringLiteral("request head larger than 16 KiB"));
        return;
    }
    HttpRequestHead::Failure failure;
    std::optional<HttpRequestHead> head = HttpRequestHead::parse(buffered.left(end), &failure);
    if (!head) {
        m_socket->read(end);
        failHead(failure.status, failure.message);
        return;
    }
    m_socket->read(end);
    if (m_firstRequest && head->isWebSocketUpgrade()) {
        const WsHandshake handshake = WsHandshake::answer(*head, m_allowedOrigins);
        if (!handshake.ok()) {
            failHead(handshake.status, handshake.message,
                     {{QByteArrayLiteral("Sec-WebSocket-Version"), QByteArrayLiteral("13")}});
            return;
        }
        m_state = State::Done;
        m_idle.stop();
        QTcpSocket *socket = m_socket;
        socket->disconnect(this);
        socket->setParent(nullptr);
        m_socket = nullptr;
        emit upgradeRequested(socket, head->path, handshake.response);
        deleteLater();
        return;
    }
    m_firstRequest = false;
    m_request = std::move(*head);
    m_bodyRemaining = m_request.contentLength;
    m_closeAfterResponse = !m_request.keepAlive;
    m_state = State::Serving;
    m_responding = false;
    touch();
    m_handler.serve(this);
}

QByteArray HttpConnection::readBody(qint64 max)
{
    if (!m_socket || m_bodyRemaining <= 0)
        return {};
    const QByteArray data = m_socket->read(std::min(max, m_bodyRemaining));
    m_bodyRemaining -= data.size();
    if (!data.isEmpty())
        touch();
    return data;
}

void HttpConnection::failHead(int status, const QString &message, const HeaderList &extra)
{
    m_state = State::Serving;
    m_closeAfterResponse = true;
    respondAnswer(
        status,
        protocol::HttpErrorAnswer{
            QString::fromLatin1(reasonPhrase(status)).toLower().replace(u' ', u'_'), message},
        extra);
}

QByteArray HttpConnection::reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 416:
        return "Range Not Satisfiable";
    case 422:
        return "Unprocessable Content";
    case 426:
        return "Upgrade Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    case 507:
        return "Insufficient Storage";
    default:
        return "Status";
    }
}

void HttpConnection::beginResponse(int status, const HeaderList &headers, qint64 contentLength)
{
    if (!m_socket || m_state != State::Serving || m_responding)
        return;
    m_responding = true;
    // A body the handler did not read cannot be skipped reliably: close after this answer.
    if (m_bodyRemaining > 0)
        m_closeAfterResponse = true;
    QByteArray head =
        "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers)
        head += name + ": " + value + "\r\n";
    head += "Content-Length: " + QByteArray::number(contentLength) + "\r\n";
    head += m_closeAfterResponse ? "Connection: close\r\n" : "Connection: keep-alive\r\n";
    head += "Cache-Control: no-store\r\n\r\n";
    m_socket->write(head);
    touch();
}

void HttpConnection::writeBody(const QByteArray &data)
{
    // A HEAD answer has the headers of the GET answer and never a body.
    if (m_socket && m_responding && !data.isEmpty() && m_request.method != "HEAD") {
        m_socket->write(data);
        touch();
    }
}

void HttpConnection::endResponse()
{
    if (!m_socket || !m_responding)
        return;
    m_responding = false;
    if (m_closeAfterResponse) {
        m_state = State::Done;
        m_socket->disconnectFromHost(); // after the queued bytes are written
        return;
    }
    m_state = State::Head;
    touch();
    // A pipelined request may already be waiting.
    QMetaObject::invokeMethod(this, &HttpConnection::onReadyRead, Qt::QueuedConnection);
}

void HttpConnection::respond(int status, const QByteArray &contentType, const QByteArray &body,
                             const HeaderList &extra)
{
    HeaderList headers = extra;
    if (!contentType.isEmpty())
        headers.prepend({"Content-Type", contentType});
    beginResponse(status, headers, body.size());
    writeBody(body);
    endResponse();
}

void HttpConnection::respondError(int status, const QString &code, const QString &message)
{
    respondAnswer(status, protocol::HttpErrorAnswer{code, message});
}

qint64 HttpConnection::unsentBytes() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void HttpConnection::abort()
{
    if (m_socket)
        m_socket->abort();
}

void HttpConnection::onBytesWritten()
{
    if (!m_socket)
        return;
    touch();
    if (m_responding && m_socket->bytesToWrite() < kLowWaterBytes)
        emit writable();
}

void HttpConnection::onDisconnected()
{
    m_state = State::Done;
    m_idle.stop();
    emit closed();
    deleteLater();
}

} // namespace tern::server::http
