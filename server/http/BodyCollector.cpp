#include "BodyCollector.h"

#include "server/http/HttpConnection.h"

namespace tern::server::http {

void BodyCollector::collect(HttpConnection *connection, std::function<void(QByteArray)> done)
{
    auto *collector = new BodyCollector(connection, std::move(done));
    collector->pull();
}

BodyCollector::BodyCollector(HttpConnection *connection, std::function<void(QByteArray)> done)
    : QObject(connection), m_connection(connection), m_done(std::move(done))
{
    connect(connection, &HttpConnection::bodyReadable, this, &BodyCollector::pull);
}

void BodyCollector::pull()
{
    m_body += m_connection->readBody(m_connection->bodyRemaining());
    if (m_connection->bodyRemaining() > 0)
        return;
    disconnect(m_connection, nullptr, this, nullptr);
    auto done = std::move(m_done);
    const QByteArray body = std::move(m_body);
    deleteLater();
    done(body);
}

} // namespace tern::server::http
