#pragma once

//! Measures and paints the parts of a message bubble around its body: the reply quote, the
//! "Forwarded" label and the row of reaction chips under the bubble (MessageDelegate's helper).
//
// Pure functions of the model's ReplyPreviewRole / ReactionsRole values and the delegate's
// fonts, so the delegate stays about layout. Everything from the network is drawn as plain text
// through QPainter (never rich text) and elided to one line, so a hostile name or excerpt can
// neither inject markup nor make a row arbitrarily tall; chips are capped (kMaxChips).

#include <QCoreApplication>
#include <QFont>
#include <QList>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QVariant>

class QPainter;
class QPalette;

namespace tern::app::ui {

class BubbleExtras
{
    Q_DECLARE_TR_FUNCTIONS(BubbleExtras)

public:
    //! One reaction as painted: the emoji, how many reacted, whether we did, and who.
    struct Chip
    {
        QString emoji;
        int count = 0;
        bool mine = false;
        QStringList names;
        QRectF rect; // view coordinates once laid out
    };
    //! The reply quote's content (from ReplyPreviewRole).
    struct Quote
    {
        qint64 seq = 0;
        QString sender; // user id: the bar's colour
        QString senderName;
        QString text;
        bool deleted = false;
    };

    //! At most this many chips are shown (the server allows 50 distinct emoji on a message).
    static constexpr int kMaxChips = 20;

    //! The chips of a ReactionsRole value; entries without emoji or count are skipped.
    static QList<Chip> chips(const QVariant &reactions);
    //! The quote of a ReplyPreviewRole value for a message replying to `replyTo`.
    static Quote quote(qint64 replyTo, const QVariant &preview);
    //! The one line a quote shows: its excerpt, or why there is none.
    static QString quoteLine(const Quote &quote);
    //! The quote's title: the original's sender, or "Reply" when not known.
    static QString quoteTitle(const Quote &quote);

    //! The natural size of a quote block drawn with `meta` and `metaBold`.
    static QSizeF quoteSize(const Quote &quote, const QFont &meta, const QFont &metaBold,
                            qreal pad);
    static void paintQuote(QPainter *painter, const QRectF &rect, const Quote &quote, int hue,
                           const QFont &meta, const QFont &metaBold, qreal pad,
                           const QPalette &palette, bool own);

    //! Places the chips in rows starting at `origin` (left-aligned, or right-aligned to
    //! origin.x() when `alignRight`), wrapping at `maxWidth`; returns the total height.
    static qreal layoutChips(QList<Chip> &chips, const QPointF &origin, qreal maxWidth,
                             bool alignRight, const QFont &font, qreal gap);
    static void paintChips(QPainter *painter, const QList<Chip> &chips, const QFont &font,
                           const QPalette &palette);
    //! "👍 2" as a screen reader says it, and the tooltip (who reacted).
    static QString chipToolTip(const Chip &chip);
    //! The reactions as one line for screen readers ("👍 2, ❤️ 1").
    static QString accessibleSummary(const QList<Chip> &chips);

    //! The quick reactions of the message menu, in order: 👍 ❤️ 😂 😮 😢 🙏.
    static const QStringList &quickReactions();
    //! The label above a forwarded message's body.
    static QString forwardedText();
    //! What a deleted message shows instead of its body.
    static QString tombstoneText();
    //! The marker next to the time of an edited message.
    static QString editedText();
};

} // namespace tern::app::ui
