#pragma once

//! The machine-readable error codes of the wire contract and their names.

#include <QString>

#include <optional>

namespace tern {

enum class ErrorCode {
    BadFrame,
    TooLarge,
    BadRequest,
    UnknownType,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    RateLimited,
    LimitExceeded,
    Internal,
};

QString errorCodeName(ErrorCode code);
std::optional<ErrorCode> errorCodeFromName(const QString &name);

//! An error as it travels between layers and onto the wire: a code plus human text.
struct Error
{
    ErrorCode code = ErrorCode::Internal;
    QString message;
};

} // namespace tern
