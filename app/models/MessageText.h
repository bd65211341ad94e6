#pragma once

//! Short human text for a message in one line: previews and system events ("Bob joined"), file
//! sizes as people read them ("2.4 MB"), and the time a message is dated with.

#include "shared/protocol/Messages.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTime>

namespace tern::app::models {

class MessageText
{
    Q_DECLARE_TR_FUNCTIONS(MessageText)
public:
    //! `names` maps user ids to display names; unknown ids are shown as they are. `me` (our own
    //! user id) turns events we did or that concern us into "You …" / "… you".
    static QString summary(const protocol::MessageEvent &message,
                           const QHash<QString, QString> &names, const QString &me = {});
    //! What a screen reader says for a message's body: its text, or for photos and files what
    //! they are ("Photo rack-photo.jpg", "File budget.xlsx, 2.4 MB") and the caption after a
    //! colon. `caption` is the message content, `media` its media object (null when absent).
    static QString spoken(protocol::MessageKind kind, const QString &caption,
                          const protocol::Media *media);
    //! What stands in for a message of a kind this build does not know (e.g. an encrypted one
    //! from a newer Tern): its content is not for people and is never shown.
    static QString unsupported();
    //! A `system` message's JSON content as a sentence; a generic text for unknown events.
    static QString systemText(const QString &content, const QHash<QString, QString> &names,
                              const QString &me = {});
    //! Decimal units, one decimal below 10, in the default locale: "512 bytes", "2.4 MB",
    //! "24 MB" ("2,4 MB" in German).
    static QString dataSize(qint64 bytes);
    //! When a message was written, as shown in its bubble and the chat list: the sender's `ts`
    //! (an offline outbox keeps it), but never after the server stored it, so a sender's clock
    //! running ahead cannot date a message in the future.
    static qint64 writtenAt(qint64 ts, qint64 serverTs);
    //! A mention in rendered text: the [start, start + length) of "@Name", whom it names, and
    //! where its markup was in the content (to move positions found in the content over).
    struct MentionSpan
    {
        int start = 0;
        int length = 0;
        QString userId;
        int sourceStart = 0;
        int sourceLength = 0;
    };
    //! Mention markup (`<@userId>`, docs/protocol.md) as "@Display Name"; an id without a name
    //! is "@unknown user". Markup that is not well formed stays as typed. `spans` (optional)
    //! gets where each mention sits in the result, for highlighting.
    static QString renderMentions(const QString &content, const QHash<QString, QString> &names,
                                  QList<MentionSpan> *spans = nullptr);
    //! The ids the well-formed markup of `content` names, each once, in order, at most
    //! `max` (the server takes 50).
    static QStringList mentionedIds(const QString &content, int max = 50);
    //! The markup that mentions `userId` in a message's content.
    static QString mentionMarkup(const QString &userId);
    //! A time as chats show it: the locale's short format without seconds (some locales' and
    //! the C locale's short format still has them).
    static QString shortTime(const QTime &time);
};

} // namespace tern::app::models
