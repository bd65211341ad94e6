#include "FtsQuery.h"

#include <QStringList>

#include <algorithm>

namespace tern::server::store {

QString ftsMatchExpression(const QString &text)
{
    QStringList terms;
    // simplified(): every run of (Unicode) whitespace becomes one space.
    for (const QString &word : text.simplified().split(QChar::Space, Qt::SkipEmptyParts)) {
        const QList<uint> codePoints = word.toUcs4();
        if (!std::any_of(codePoints.begin(), codePoints.end(),
                         [](uint c) { return QChar::isLetterOrNumber(char32_t(c)); }))
            continue;
        QString escaped = word;
        escaped.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        terms << QLatin1Char('"') + escaped + QStringLiteral("\"*");
    }
    return terms.join(QLatin1Char(' '));
}

} // namespace tern::server::store
