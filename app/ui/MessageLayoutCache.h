#pragma once

//! Wrapped text layouts of message bodies, cached per (message id, width), plus cheap sizes.
//
// Size hints for 100,000 rows must not shape text each time: sizes are kept per message id
// (one entry per message, for the last width asked), and a text that fits on one line remembers
// its natural width, so a resize re-wraps only the messages that no longer fit. Full
// QTextLayouts (needed to paint and hit-test links) are kept only for the few hundred rows
// recently painted (QCache). A changed text (e.g. a renamed user in a system line) or font
// rebuilds the entry. Not thread-safe: used by one delegate on the GUI thread.

#include <QCache>
#include <QFont>
#include <QHash>
#include <QList>
#include <QSizeF>
#include <QString>
#include <QTextLayout>

namespace tern::app::ui {

class MessageLayoutCache
{
public:
    struct Link
    {
        int start = 0;
        int length = 0;
        QString url;
    };
    struct Entry
    {
        QString text;
        int width = 0;
        QTextLayout layout;
        QSizeF size; // widest line x total height
        qreal lastLineWidth = 0;
        QList<Link> links;
    };
    struct Metrics
    {
        QSizeF size;
        qreal lastLineWidth = 0;
    };

    explicit MessageLayoutCache(int maxLayouts = 600);

    //! Size of `text` wrapped at `width`; cheap when cached.
    Metrics metrics(const QString &id, const QString &text, int width, const QFont &font);
    //! The laid-out text (lines positioned from (0, 0)); valid until the next call.
    const Entry &layout(const QString &id, const QString &text, int width, const QFont &font);
    //! The http/https links in `text`, trailing punctuation left out.
    static QList<Link> findLinks(const QString &text);
    void clear();
    //! Number of full layouts held (tests check the bound).
    int layoutCount() const { return int(m_layouts.count()); }

private:
    struct Key
    {
        QString id;
        int width = 0;
        bool operator==(const Key &other) const = default;
    };
    friend size_t qHash(const Key &key, size_t seed) { return qHashMulti(seed, key.id, key.width); }

    struct Size
    {
        QString text;
        int width = -1;
        Metrics metrics;
        qreal singleLineWidth = -1; // natural width when the text is one unbroken line
        qreal singleLineHeight = 0;
    };

    void checkFont(const QFont &font);
    void remember(const QString &id, const Entry &entry);
    static void build(Entry &entry, const QString &text, int width, const QFont &font);

    QCache<Key, Entry> m_layouts;
    QHash<QString, Size> m_sizes;
    QFont m_font;
};

} // namespace tern::app::ui
