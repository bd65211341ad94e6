#pragma once

// Private to tern_app_client: decodes the list an ack carries (e.g. `users`, `members`).

#include "shared/core/Result.h"
#include "shared/protocol/Codec.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QList>
#include <QString>

namespace tern::app::client::detail {

template <typename T> Result<QList<T>> parseList(const QJsonValue &value)
{
    if (!value.isArray())
        return Error{ErrorCode::Internal, QStringLiteral("reply without the expected list")};
    QList<T> list;
    for (const QJsonValue &entry : value.toArray()) {
        Result<T> item = protocol::fromJson<T>(entry.toObject());
        if (!item)
            return item.error();
        list.append(*item);
    }
    return list;
}

} // namespace tern::app::client::detail
