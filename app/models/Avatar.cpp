#include "app/models/Avatar.h"

#include <QStringList>

namespace tern::app::models {

QString Avatar::initials(const QString &name)
{
    const QStringList words = name.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.isEmpty())
        return {};
    // Whole code points, not UTF-16 units: a name may start with an emoji or a rare script.
    const auto firstLetter = [](const QString &word) {
        const int length = word.at(0).isHighSurrogate() && word.size() > 1 ? 2 : 1;
        return word.left(length).toUpper();
    };
    QString result = firstLetter(words.first());
    if (words.size() > 1)
        result += firstLetter(words.last());
    return result;
}

int Avatar::hue(const QString &id)
{
    // A fixed hash (not qHash, which is seeded per process) keeps colours stable everywhere.
    quint32 hash = 2166136261u;
    const QByteArray bytes = id.toUtf8();
    for (const char byte : bytes) {
        hash ^= quint8(byte);
        hash *= 16777619u;
    }
    return int(hash % 360u);
}

} // namespace tern::app::models
