#pragma once

//! The closed vocabularies of the wire contract (message kinds, roles, receipt states, presence,
//! conversation kinds) as enums, each with one table of its wire names (WireEnums.cpp).

#include <QLatin1StringView>
#include <QString>
#include <QStringView>

#include <optional>

namespace tern::protocol {

//! Unknown: a kind this build does not know (the client keeps the server's name beside it).
//! Edit, Delete and Reaction are change events: they name their target by `ref` (a seq).
enum class MessageKind { Text, Image, File, System, Edit, Delete, Reaction, Unknown };

//! True for the change kinds (edit, delete, reaction), which are never shown as messages.
constexpr bool isChangeKind(MessageKind kind)
{
    return kind == MessageKind::Edit || kind == MessageKind::Delete ||
           kind == MessageKind::Reaction;
}
enum class Role { Owner, Admin, Member };
enum class ReceiptStatus { Delivered, Read };
enum class PresenceStatus { Online, Offline };
enum class ConversationKind { Direct, Group };

//! The name on the wire (and in the SQL columns). MessageKind::Unknown has none: "".
QLatin1StringView wireNameView(MessageKind value);
QLatin1StringView wireNameView(Role value);
QLatin1StringView wireNameView(ReceiptStatus value);
QLatin1StringView wireNameView(PresenceStatus value);
QLatin1StringView wireNameView(ConversationKind value);

template <typename E> QString wireName(E value)
{
    return QString(wireNameView(value));
}

//! The value a wire name stands for; nullopt for any other name (never MessageKind::Unknown).
template <typename E> std::optional<E> fromWireName(QStringView name);
template <> std::optional<MessageKind> fromWireName<MessageKind>(QStringView name);
template <> std::optional<Role> fromWireName<Role>(QStringView name);
template <> std::optional<ReceiptStatus> fromWireName<ReceiptStatus>(QStringView name);
template <> std::optional<PresenceStatus> fromWireName<PresenceStatus>(QStringView name);
template <> std::optional<ConversationKind> fromWireName<ConversationKind>(QStringView name);

} // namespace tern::protocol
