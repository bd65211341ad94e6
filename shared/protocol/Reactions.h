#pragma once

//! The wire's rule for a message's current reactions, applied to one reaction event (the app's
//! cache and its models keep the same order the server sends).

#include "shared/protocol/Messages.h"

#include <algorithm>

namespace tern::protocol {

//! `reactions` after `user` added (`on`) or removed `emoji`: users in the order they reacted,
//! emoji in the order of their first reaction, an emoji nobody keeps removed.
inline QList<Reaction> applyReaction(QList<Reaction> reactions, const QString &user,
                                     const QString &emoji, bool on)
{
    auto it = std::find_if(reactions.begin(), reactions.end(),
                           [&](const Reaction &r) { return r.emoji == emoji; });
    if (on) {
        if (it == reactions.end())
            reactions.append(Reaction{emoji, {user}});
        else if (!it->users.contains(user))
            it->users.append(user);
    } else if (it != reactions.end()) {
        it->users.removeAll(user);
        if (it->users.isEmpty())
            reactions.erase(it);
    }
    return reactions;
}

} // namespace tern::protocol
