#include "JsonSize.h"

#include <QJsonDocument>

namespace tern::protocol {

namespace {
// Field names, punctuation and numbers of an entry: generous, as only the bound matters.
constexpr qint64 kMessageOverhead = 256;
constexpr qint64 kSummaryOverhead = 192;
constexpr qint64 kMemberOverhead = 40;
} // namespace

qint64 jsonStringBound(const QString &text)
{
    qint64 bytes = 2;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u == u'"' || u == u'\\')
            bytes += 6;
        else if (u < 0x80)
            bytes += 1;
        else if (u < 0x800)
            bytes += 2;
        else
            bytes += 3; // a surrogate half counts 3: a pair (4 bytes in UTF-8) is bounded by 6
    }
    return bytes;
}

qint64 jsonSizeBound(const MessageEvent &m)
{
    qint64 bytes = kMessageOverhead + jsonStringBound(m.id) + jsonStringBound(m.conversation) +
                   jsonStringBound(m.from) + jsonStringBound(m.fromDevice) + jsonStringBound(m.to) +
                   jsonStringBound(m.kind) + jsonStringBound(m.content);
    if (m.media)
        bytes += QJsonDocument(*m.media).toJson(QJsonDocument::Compact).size();
    return bytes;
}

qint64 jsonSizeBound(const ConversationSummary &s)
{
    qint64 bytes = kSummaryOverhead + jsonStringBound(s.conversation) + jsonStringBound(s.kind) +
                   jsonStringBound(s.name);
    for (const MemberInfo &member : s.members)
        bytes += kMemberOverhead + jsonStringBound(member.userId) + jsonStringBound(member.role);
    if (s.lastMessage)
        bytes += jsonSizeBound(*s.lastMessage);
    return bytes;
}

} // namespace tern::protocol
