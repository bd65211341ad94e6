#include "WireEnums.h"

#include <array>
#include <utility>

namespace tern::protocol {

namespace {

template <typename E, std::size_t N> using Table = std::array<std::pair<E, QLatin1StringView>, N>;

// The one table per vocabulary (docs/protocol.md). Every value but MessageKind::Unknown is here.
constexpr Table<MessageKind, 7> kMessageKinds{
    {{MessageKind::Text, QLatin1StringView("text")},
     {MessageKind::Image, QLatin1StringView("image")},
     {MessageKind::File, QLatin1StringView("file")},
     {MessageKind::System, QLatin1StringView("system")},
     {MessageKind::Edit, QLatin1StringView("edit")},
     {MessageKind::Delete, QLatin1StringView("delete")},
     {MessageKind::Reaction, QLatin1StringView("reaction")}}};
constexpr Table<Role, 3> kRoles{{{Role::Owner, QLatin1StringView("owner")},
                                 {Role::Admin, QLatin1StringView("admin")},
                                 {Role::Member, QLatin1StringView("member")}}};
constexpr Table<ReceiptStatus, 2> kReceiptStatuses{
    {{ReceiptStatus::Delivered, QLatin1StringView("delivered")},
     {ReceiptStatus::Read, QLatin1StringView("read")}}};
constexpr Table<PresenceStatus, 2> kPresenceStatuses{
    {{PresenceStatus::Online, QLatin1StringView("online")},
     {PresenceStatus::Offline, QLatin1StringView("offline")}}};
constexpr Table<ConversationKind, 2> kConversationKinds{
    {{ConversationKind::Direct, QLatin1StringView("direct")},
     {ConversationKind::Group, QLatin1StringView("group")}}};

template <typename E, std::size_t N> QLatin1StringView nameIn(const Table<E, N> &table, E value)
{
    for (const auto &[entry, name] : table) {
        if (entry == value)
            return name;
    }
    return {};
}

template <typename E, std::size_t N>
std::optional<E> valueIn(const Table<E, N> &table, QStringView name)
{
    for (const auto &[entry, wire] : table) {
        if (name == wire)
            return entry;
    }
    return std::nullopt;
}

} // namespace

QLatin1StringView wireNameView(MessageKind value)
{
    return nameIn(kMessageKinds, value);
}

QLatin1StringView wireNameView(Role value)
{
    return nameIn(kRoles, value);
}

QLatin1StringView wireNameView(ReceiptStatus value)
{
    return nameIn(kReceiptStatuses, value);
}

QLatin1StringView wireNameView(PresenceStatus value)
{
    return nameIn(kPresenceStatuses, value);
}

QLatin1StringView wireNameView(ConversationKind value)
{
    return nameIn(kConversationKinds, value);
}

template <> std::optional<MessageKind> fromWireName<MessageKind>(QStringView name)
{
    return valueIn(kMessageKinds, name);
}

template <> std::optional<Role> fromWireName<Role>(QStringView name)
{
    return valueIn(kRoles, name);
}

template <> std::optional<ReceiptStatus> fromWireName<ReceiptStatus>(QStringView name)
{
    return valueIn(kReceiptStatuses, name);
}

template <> std::optional<PresenceStatus> fromWireName<PresenceStatus>(QStringView name)
{
    return valueIn(kPresenceStatuses, name);
}

template <> std::optional<ConversationKind> fromWireName<ConversationKind>(QStringView name)
{
    return valueIn(kConversationKinds, name);
}

} // namespace tern::protocol
