#include "app/ui/EmojiCatalog.h"

#include <QHash>

namespace tern::app::ui {

namespace emojitable {
extern const EmojiCatalog::RawEntry kTableA[];
extern const int kTableACount;
extern const EmojiCatalog::RawEntry kTableB[];
extern const int kTableBCount;
} // namespace emojitable

namespace {

struct Catalog
{
    QList<EmojiCatalog::Entry> entries;
    QHash<QString, int> byEmoji;
    QList<QStringList> words; // each entry's name split into words, for search
};

const Catalog &catalog()
{
    static const Catalog built = [] {
        Catalog c;
        const auto add = [&c](const EmojiCatalog::RawEntry *table, int count) {
            for (int i = 0; i < count; ++i) {
                const QString emoji = QString::fromUtf8(table[i].emoji);
                const QString name = QString::fromUtf8(table[i].name);
                c.byEmoji.insert(emoji, int(c.entries.size()));
                c.entries.append({emoji, name, table[i].category});
                QString plain = name;
                plain.replace(QLatin1Char(':'), QLatin1Char(' '));
                c.words.append(plain.split(QLatin1Char(' '), Qt::SkipEmptyParts));
            }
        };
        add(emojitable::kTableA, emojitable::kTableACount);
        add(emojitable::kTableB, emojitable::kTableBCount);
        return c;
    }();
    return built;
}

} // namespace

const QList<EmojiCatalog::Entry> &EmojiCatalog::all()
{
    return catalog().entries;
}

QList<EmojiCatalog::Entry> EmojiCatalog::inCategory(Category category)
{
    QList<Entry> found;
    for (const Entry &entry : all())
        if (entry.category == category)
            found.append(entry);
    return found;
}

QList<EmojiCatalog::Entry> EmojiCatalog::search(const QString &query, int limit)
{
    const QStringList terms = query.toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QList<Entry> found;
    if (terms.isEmpty())
        return found;
    const Catalog &c = catalog();
    for (int i = 0; i < c.entries.size() && found.size() < limit; ++i) {
        const QStringList &words = c.words.at(i);
        const bool all = std::all_of(terms.begin(), terms.end(), [&words](const QString &term) {
            return std::any_of(words.begin(), words.end(),
                               [&term](const QString &word) { return word.startsWith(term); });
        });
        if (all)
            found.append(c.entries.at(i));
    }
    return found;
}

QString EmojiCatalog::nameOf(const QString &emoji)
{
    const Catalog &c = catalog();
    const auto it = c.byEmoji.constFind(emoji);
    return it == c.byEmoji.cend() ? QString() : c.entries.at(*it).name;
}

} // namespace tern::app::ui
