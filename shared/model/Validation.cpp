#include "Validation.h"

#include "shared/model/Limits.h"

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
    return !hasControlOrBrokenSurrogate(text);
}

bool isValidOpaqueId(const QString &id, int maxChars)
{
    if (id.isEmpty() || characterCount(id) > maxChars)
        return false;
    return !hasControlOrBrokenSurrogate(id);
}

} // namespace tern::validation
