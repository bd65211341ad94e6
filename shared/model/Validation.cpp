#include "Validation.h"

#include "shared/model/Limits.h"

#include <QList>

namespace tern::validation {

int characterCount(const QString &text)
{
    int count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            ++i;
        ++count;
    }
    return count;
}

static bool hasControlOrBrokenSurrogate(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate()) {
            if (i + 1 >= text.size() || !text.at(i + 1).isLowSurrogate())
                return true;
            ++i;
            continue;
        }
        if (c.isLowSurrogate())
            return true;
        const char16_t u = c.unicode();
        if (u < 0x20 || u == 0x7f || (u >= 0x80 && u < 0xa0))
            return true;
    }
    return false;
}

bool isValidUserName(const QString &name)
{
    if (name.size() < limits::kMinUserNameChars || name.size() > limits::kMaxUserNameChars)
        return false;
    for (QChar c : name) {
        const char16_t u = c.unicode();
        const bool ok =
            (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '.' || u == '_' || u == '-';
        if (!ok)
            return false;
    }
    return true;
}

bool isValidPassword(const QString &password)
{
    const int n = characterCount(password);
    return n >= limits::kMinPasswordChars && n <= limits::kMaxPasswordChars;
}

bool isValidDisplayText(const QString &text, int maxChars)
{
    if (text.trimmed().isEmpty())
        return false;
    if (characterCount(text) > maxChars)
        return false;
    return !hasControlOrBrokenSurrogate(text) && !hasDisguisingCharacters(text);
}

bool isDisguising(char32_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x200b && c <= 0x200f) ||
           (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069) || c == 0xfeff ||
           c == 0x061c;
}

bool hasDisguisingCharacters(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t u = text.at(i).unicode();
        // Every isDisguising() character is in the BMP: surrogates never match.
        if (u != 0x200c && u != 0x200d && isDisguising(u))
            return true;
    }
    return false;
}

QString sanitizeFileName(const QString &name)
{
    constexpr int kMaxNameChars = 255;
    QString out;
    out.reserve(qMin(name.size(), qsizetype(1024)));
    for (char32_t c : name.toUcs4()) {
        if (isDisguising(c))
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

bool isValidOpaqueId(const QString &id, int maxChars)
{
    if (id.isEmpty() || characterCount(id) > maxChars)
        return false;
    return !hasControlOrBrokenSurrogate(id);
}

QString validateReactionEmoji(const QString &emoji)
{
    const qsizetype bytes = emoji.toUtf8().size();
    if (bytes < 1 || bytes > limits::kMaxReactionEmojiBytes)
        return QStringLiteral("must be 1 to %1 bytes of UTF-8").arg(limits::kMaxReactionEmojiBytes);
    if (hasControlOrBrokenSurrogate(emoji) || hasDisguisingCharacters(emoji))
        return QStringLiteral("must not hold control or bidirectional characters");
    for (char32_t c : emoji.toUcs4()) {
        if (QChar::isSpace(c))
            return QStringLiteral("must not hold whitespace");
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            return QStringLiteral("must be an emoji, not letters or digits");
    }
    return {};
}

QString validateMentions(const QStringList &mentions)
{
    if (mentions.size() > limits::kMaxMentions)
        return QStringLiteral("has more than %1 entries").arg(limits::kMaxMentions);
    for (const QString &id : mentions) {
        if (!isValidOpaqueId(id, limits::kMaxOpaqueIdChars))
            return QStringLiteral("must hold user ids of 1-%1 characters")
                .arg(limits::kMaxOpaqueIdChars);
    }
    return {};
}

} // namespace tern::validation
