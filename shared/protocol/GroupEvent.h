#pragma once

//! The content of a `system` message: what happened to a group, by whom, to whom.

#include "shared/protocol/WireEnums.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace tern::protocol {

//! `{"event", "by", "users", "name", "role"}` (docs/protocol.md, system messages); the server
//! writes it with encodeGroupEvent(), the app reads it with decodeGroupEvent().
struct GroupEvent
{
    //! Unknown: an event this build does not know (shown as a generic "group updated").
    enum class Kind {
        Created,
        MemberAdded,
        MemberRemoved,
        MemberLeft,
        Renamed,
        RoleChanged,
        Unknown
    };
    Kind kind = Kind::Unknown;
    QString by;
    QStringList users; // not written when empty
    QString name;      // created, renamed; not written when empty
    std::optional<Role> role;

    friend bool operator==(const GroupEvent &, const GroupEvent &) = default;
};

} // namespace tern::protocol
