#pragma once

// Gathers a small request body (bounded by the caller) and hands it over once complete. A child
// of its connection: if the connection goes first, nothing is called.

#include <QObject>

#include <functional>

namespace tern::server::http {

class HttpConnection;

class BodyCollector : public QObject
{
    Q_OBJECT
public:
    //! Calls `done` with the whole body (possibly at once). The caller checked the length.
    static void collect(HttpConnection *connection, std::function<void(QByteArray)> done);

private:
    BodyCollector(HttpConnection *connection, std::function<void(QByteArray)> done);
    void pull();

    HttpConnection *m_connection;
    std::function<void(QByteArray)> m_done;
    QByteArray m_body;
};

} // namespace tern::server::http
