#include "JsonSize.h"

namespace tern::protocol {

namespace {
// Field names, punctuation and numbers of an entry: generous, as only the bound matters.
constexpr qint64 kMessageOverhead = 256;
constexpr qint64 kSummaryOverhead = 192;
constexpr qint64 kMemberOverhead = 40;
// A media object's keys and punctuation (8 fields) and its three numbers.
constexpr qint64 kMediaOverhead = 8 * 16 + 3 * 20 + 2;

// Wire names are short ASCII: their bytes plus the quotes.
qint64 nameBound(QLatin1StringView name)
{
    return name.size() + 2;
}

qint64 mediaBound(const Media &media)
{
    return kMediaOverhead + jsonStringBound(media.mediaId) + jsonStringBound(media.name) +
           jsonStringBound(media.mime) + jsonStringBound(media.sha256) +
           jsonStringBound(media.thumbnail);
}
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
                   jsonStringBound(m.kindName) + nameBound(wireNameView(m.kind)) +
                   jsonStringBound(m.content);
    if (m.media)
        bytes += mediaBound(*m.media);
    // reply_to, forwarded, ref, on, edited_ts, deleted: names and numbers, ≤ 128 bytes together.
    if (m.replyTo || m.forwarded || m.ref || m.editedTs || m.deleted)
        bytes += 128;
    for (const QString &id : m.mentions)
        bytes += jsonStringBound(id) + 1;
    for (const Reaction &r : m.reactions) {
        bytes += 24 + jsonStringBound(r.emoji);
        for (const QString &user : r.users)
            bytes += jsonStringBound(user) + 1;
    }
    return bytes;
}

qint64 jsonSizeBound(const ConversationSummary &s)
{
    qint64 bytes = kSummaryOverhead + jsonStringBound(s.conversation) +
                   nameBound(wireNameView(s.kind)) + jsonStringBound(s.name);
    for (const MemberInfo &member : s.members)
        bytes +=
            kMemberOverhead + jsonStringBound(member.userId) + nameBound(wireNameView(member.role));
    if (s.lastMessage)
        bytes += jsonSizeBound(*s.lastMessage);
    return bytes;
}

} // namespace tern::protocol
