#include "MediaName.h"

#include <QRegularExpression>

namespace tern::server::media {

namespace {
constexpr int kMaxNameChars = 255;

bool dropped(char32_t c)
{
    // Controls (NUL included), bidirectional embeddings/overrides/isolates and marks, zero-width
    // characters, line/paragraph separators, BOM: each can disguise a name ("exe.png").
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x200b && c <= 0x200f) ||
           (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069) || c == 0xfeff ||
           c == 0x061c;
}
} // namespace

QString sanitizeFileName(const QString &name)
{
    QString out;
    out.reserve(qMin(name.size(), qsizetype(1024)));
    for (char32_t c : name.toUcs4()) {
        if (dropped(c))
            continue;
        if (c == '/' || c == '\\' || c == ':')
            c = '_';
        out += QString::fromUcs4(&c, 1);
    }
    out = out.trimmed();
    // A leading dot hides the file on the receiver's system; whitespace behind it goes too, or
    // the name would not be trimmed (".\u3000x").
    while (!out.isEmpty() && (out.front() == u'.' || out.front().isSpace()))
        out.remove(0, 1);
    if (out.size() > kMaxNameChars) {
        // Keep a short extension so the receiver's system still knows the type.
        const qsizetype dot = out.lastIndexOf(u'.');
        const QString extension = dot > 0 && out.size() - dot <= 16 ? out.mid(dot) : QString();
        QString stem = out.left(kMaxNameChars - extension.size());
        if (!stem.isEmpty() && stem.back().isHighSurrogate())
            stem.chop(1);
        // The cut can land after whitespace ("a \u2026 b" cut after "a "): trim the stem again.
        out = stem.trimmed() + extension;
    }
    return out.isEmpty() ? QStringLiteral("file") : out;
}

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
