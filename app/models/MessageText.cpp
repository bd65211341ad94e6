#include "app/models/MessageText.h"

#include "shared/protocol/Codec.h"

#include <QLocale>
#include <QRegularExpression>
#include <QStringList>

#include <cmath>

namespace tern::app::models {

using protocol::GroupEvent;
using protocol::MessageKind;

namespace {

QString nameOf(const QString &userId, const QHash<QString, QString> &names)
{
    return names.value(userId, userId);
}

//! The id of well-formed markup starting at `at` ("<@" + 1..64 id characters + ">"), else "".
//! Id characters are what the server accepts in `mentions` minus what would make markup
//! ambiguous ('<', '>') or hide it (whitespace, controls).
QString markupId(const QString &content, qsizetype at, qsizetype *end)
{
    constexpr qsizetype kMaxIdChars = 64; // limits::kMaxOpaqueIdChars (UTF-16 units here)
    if (!content.mid(at, 2).startsWith(QStringLiteral("<@")))
        return {};
    const qsizetype first = at + 2;
    for (qsizetype i = first; i < content.size() && i - first <= kMaxIdChars; ++i) {
        const QChar c = content.at(i);
        if (c == QLatin1Char('>')) {
            if (i == first)
                return {};
            *end = i + 1;
            return content.mid(first, i - first);
        }
        if (c == QLatin1Char('<') || c.isSpace() || c.category() == QChar::Other_Control ||
            c.category() == QChar::Other_Format)
            return {};
    }
    return {};
}

//! A display name as one line of text: no line breaks, no direction overrides that would turn
//! the text after it around (names come from other users).
QString mentionName(const QString &name)
{
    QString clean;
    clean.reserve(name.size());
    for (const QChar c : name) {
        if (c.category() == QChar::Other_Control)
            clean += QLatin1Char(' '); // a line break is a word break
        else if (c.category() != QChar::Other_Format)
            clean += c;
    }
    return clean.simplified();
}

} // namespace

QString MessageText::renderMentions(const QString &content, const QHash<QString, QString> &names,
                                    QList<MentionSpan> *spans)
{
    // One pass left to right: a name is never read as markup again, so a display name that
    // itself looks like markup shows as it is.
    static const QString kMarker = QStringLiteral("<@");
    if (!content.contains(kMarker))
        return content;
    QString out;
    out.reserve(content.size());
    qsizetype from = 0;
    while (from < content.size()) {
        const qsizetype at = content.indexOf(kMarker, from);
        if (at < 0)
            break;
        qsizetype end = 0;
        const QString id = markupId(content, at, &end);
        if (id.isEmpty()) {
            out += QStringView(content).mid(from, at + 1 - from);
            from = at + 1;
            continue;
        }
        out += QStringView(content).mid(from, at - from);
        QString name = mentionName(names.value(id));
        if (name.isEmpty())
            name = tr("unknown user");
        const QString shown = QLatin1Char('@') + name;
        if (spans)
            spans->append(
                MentionSpan{int(out.size()), int(shown.size()), id, int(at), int(end - at)});
        out += shown;
        from = end;
    }
    out += QStringView(content).mid(from);
    return out;
}

QStringList MessageText::mentionedIds(const QString &content, int max)
{
    QStringList ids;
    QList<MentionSpan> spans;
    renderMentions(content, {}, &spans);
    for (const MentionSpan &span : std::as_const(spans)) {
        if (ids.size() >= max)
            break;
        if (!ids.contains(span.userId))
            ids << span.userId;
    }
    return ids;
}

QString MessageText::mentionMarkup(const QString &userId)
{
    return QStringLiteral("<@") + userId + QLatin1Char('>');
}

QString MessageText::summary(const protocol::MessageEvent &message,
                             const QHash<QString, QString> &names, const QString &me)
{
    if (message.kind == MessageKind::System)
        return systemText(message.content, names, me);
    if (message.kind == MessageKind::Unknown)
        return unsupported();
    if (message.deleted) // a tombstone: nothing of what it said
        return tr("This message was deleted");
    // One line: the list shows a single elided line, a newline would cut it short.
    const QString caption = renderMentions(message.content, names).simplified();
    if (message.kind == MessageKind::Image) {
        // The emoji marks a picture at a glance, as in other chat apps' lists.
        return QStringLiteral("📷 ") +
               (caption.isEmpty() ? tr("Photo") : tr("Photo: %1").arg(caption));
    }
    if (message.kind == MessageKind::File) {
        const QString name = message.media ? message.media->name.simplified() : QString();
        const QString what = name.isEmpty() ? tr("File") : name;
        //: A file in the chat list: the file's name, then the caption sent with it.
        return QStringLiteral("📎 ") + (caption.isEmpty() ? what : tr("%1: %2").arg(what, caption));
    }
    return caption;
}

QString MessageText::spoken(MessageKind kind, const QString &caption, const protocol::Media *media)
{
    // Spoken words, not the list's emoji: "camera" before every photo would be noise.
    const QString name = media ? media->name.simplified() : QString();
    QString what;
    if (kind == MessageKind::Image) {
        what = name.isEmpty() ? tr("Photo")
                              //: Screen reader text of a photo: "Photo rack-photo.jpg".
                              : tr("Photo %1").arg(name);
    } else if (kind == MessageKind::File) {
        const qint64 size = media && media->size > 0 ? media->size : -1;
        const QString file = name.isEmpty() ? tr("File") : tr("File %1").arg(name);
        //: Screen reader text of a file: "File budget.xlsx, 2.4 MB".
        what = size >= 0 ? tr("%1, %2").arg(file, dataSize(size)) : file;
    } else if (kind == MessageKind::Unknown) {
        return unsupported();
    } else {
        return caption;
    }
    const QString text = caption.simplified();
    return text.isEmpty() ? what : tr("%1: %2").arg(what, text);
}

QString MessageText::unsupported()
{
    return tr("This message needs a newer version of Tern.");
}

QString MessageText::systemText(const QString &content, const QHash<QString, QString> &names,
                                const QString &me)
{
    const Result<GroupEvent> decoded = protocol::decodeGroupEvent(content);
    if (!decoded)
        return tr("Group updated");
    const GroupEvent &event = *decoded;
    const bool byMe = !me.isEmpty() && event.by == me;
    const QString by = nameOf(event.by, names);
    // The people it concerns, without us: we are named by the sentence itself ("… you").
    QStringList users;
    bool meToo = false;
    for (const QString &user : event.users) {
        if (!me.isEmpty() && user == me)
            meToo = true;
        else
            users << nameOf(user, names);
    }
    const QString who = users.join(QStringLiteral(", "));
    switch (event.kind) {
    case GroupEvent::Kind::Created:
        return byMe ? tr("You created the group") : tr("%1 created the group").arg(by);
    case GroupEvent::Kind::MemberAdded:
        if (byMe)
            return tr("You added %1").arg(who);
        if (meToo)
            return who.isEmpty() ? tr("%1 added you").arg(by)
                                 : tr("%1 added you and %2").arg(by, who);
        return tr("%1 added %2").arg(by, who);
    case GroupEvent::Kind::MemberRemoved:
        if (byMe)
            return tr("You removed %1").arg(who);
        if (meToo)
            return who.isEmpty() ? tr("%1 removed you").arg(by)
                                 : tr("%1 removed you and %2").arg(by, who);
        return tr("%1 removed %2").arg(by, who);
    case GroupEvent::Kind::MemberLeft:
        if (meToo || (byMe && who.isEmpty()))
            return tr("You left");
        return tr("%1 left").arg(who.isEmpty() ? by : who);
    case GroupEvent::Kind::Renamed:
        return byMe ? tr("You renamed the group to \"%1\"").arg(event.name)
                    : tr("%1 renamed the group to \"%2\"").arg(by, event.name);
    case GroupEvent::Kind::RoleChanged:
        if (byMe && !meToo)
            return tr("You changed the role of %1").arg(who);
        if (meToo)
            return tr("%1 changed your role").arg(by);
        return tr("%1 changed the role of %2").arg(by, who);
    case GroupEvent::Kind::Unknown:
        break;
    }
    return tr("Group updated");
}

QString MessageText::shortTime(const QTime &time)
{
    static const QRegularExpression seconds(QStringLiteral("[.:]?s+"));
    QString format = QLocale().timeFormat(QLocale::ShortFormat);
    format.remove(seconds);
    return QLocale().toString(time, format.trimmed());
}

qint64 MessageText::writtenAt(qint64 ts, qint64 serverTs)
{
    if (serverTs <= 0)
        return ts;
    return ts > 0 && ts <= serverTs ? ts : serverTs;
}

QString MessageText::dataSize(qint64 bytes)
{
    const QLocale locale;
    if (bytes < 1000)
        return tr("%n byte(s)", nullptr, int(std::max<qint64>(bytes, 0)));
    // Pick the unit after rounding, so 999,960 bytes read "1.0 MB", not "1000 kB".
    static const char *const units[] = {QT_TR_NOOP("%1 kB"), QT_TR_NOOP("%1 MB"),
                                        QT_TR_NOOP("%1 GB"), QT_TR_NOOP("%1 TB")};
    double value = double(bytes) / 1000.0;
    int unit = 0;
    while (unit < 3 && std::round(value * 10.0) / 10.0 >= 999.5) {
        value /= 1000.0;
        ++unit;
    }
    const double tenths = std::round(value * 10.0) / 10.0;
    const QString number = tenths < 10.0 ? locale.toString(tenths, 'f', 1)
                                         : locale.toString(std::round(value), 'f', 0);
    return tr(units[unit]).arg(number);
}

} // namespace tern::app::models
