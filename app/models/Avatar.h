#pragma once

//! Avatar helpers shared by the list models: initials from a name and a stable colour hue.

#include <QString>

namespace tern::app::models {

class Avatar
{
public:
    //! 1–2 upper-case letters: the first letters of the first and last word ("Ada Lovelace" →
    //! "AL", "bob" → "B"); empty for an empty name.
    static QString initials(const QString &name);
    //! 0–359, derived only from the id's bytes (FNV-1a), so every device shows the same colour.
    static int hue(const QString &id);
};

} // namespace tern::app::models
