#pragma once

//! The emoji the picker offers: nine categories in the usual order, each emoji with its English
//! name to search by (tables in EmojiTableA.cpp and EmojiTableB.cpp, generated).

#include <QList>
#include <QString>

namespace tern::app::ui {

class EmojiCatalog
{
public:
    enum class Category : quint8 {
        Smileys,
        People,
        Nature,
        Food,
        Activities,
        Travel,
        Objects,
        Symbols,
        Flags,
    };
    static constexpr int kCategoryCount = 9;

    struct Entry
    {
        QString emoji;
        QString name; //!< English, lower case ("grinning face", "flag: germany")
        Category category = Category::Smileys;
    };
    //! One row of the generated tables (UTF-8 literals).
    struct RawEntry
    {
        const char *emoji;
        const char *name;
        Category category;
    };

    //! Every emoji, by category, in table order (built once).
    static const QList<Entry> &all();
    static QList<Entry> inCategory(Category category);
    //! Emoji whose name has a word starting with each word of `query` (case-insensitive), in
    //! table order; at most `limit`.
    static QList<Entry> search(const QString &query, int limit = 200);
    //! The name of `emoji`; "" when it is not in the catalogue.
    static QString nameOf(const QString &emoji);
};

} // namespace tern::app::ui
