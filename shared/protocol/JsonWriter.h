#pragma once

// Compact JSON written straight into bytes, for the frames a server sends thousands of times a
// second (a message event, a send's ack): building a QJsonObject first cost a third of the
// socket thread's time at 8,000 messages/s. Anything not on that path uses the QJsonObject codec.

#include <QByteArray>
#include <QJsonObject>
#include <QLatin1StringView>
#include <QString>

namespace tern::protocol {

class JsonWriter
{
public:
    //! Starts an object; `reserve` is a guess at the final size.
    explicit JsonWriter(qsizetype reserve = 256);

    JsonWriter &field(const char *key, const QString &value);
    JsonWriter &field(const char *key, QLatin1StringView value);
    JsonWriter &field(const char *key, qint64 value);
    //! A nested object, written by Qt's own JSON writer (rare, e.g. media metadata).
    JsonWriter &field(const char *key, const QJsonObject &value);
    //! Every member of `object` as fields of this one (rare extras, by Qt's writer).
    JsonWriter &fields(const QJsonObject &object);

    //! Closes the object and hands over the bytes (once; the writer is spent afterwards).
    QByteArray take();

private:
    void key(const char *key);
    void appendString(const QString &value);

    QByteArray m_out;
    bool m_first = true;
};

} // namespace tern::protocol
