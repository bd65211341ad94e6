#include "MediaName.h"

#include <QRegularExpression>

namespace tern::server::media {

QString normalizeMime(const QString &mime)
{
    static const QRegularExpression pattern(
        QStringLiteral("^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$"));
    const QString lower = mime.trimmed().toLower();
    return pattern.match(lower).hasMatch() ? lower : QString();
}

bool isMediaId(const QString &id)
{
    // '$' would also match before a final newline, letting "<id>\n" (a path ending in %0A)
    // through as an id; \z does not.
    static const QRegularExpression pattern(
        QRegularExpression::anchoredPattern(QStringLiteral("[0-9a-f]{32}")));
    return pattern.match(id).hasMatch();
}

} // namespace tern::server::media
