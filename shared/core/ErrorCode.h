#pragma once

//! The machine-readable error codes of the wire contract and their names.

#include <QString>

#include <optional>
#include <utility>

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

//! A failure on the client's own side of the wire: no server answered it (or its answer could
//! not be used). Never sent on the wire; kept apart from the server's codes.
enum class TransportFailure {
    Offline,            // not connected, connection lost or refused, nothing could be sent
    Timeout,            // no reply in time
    Cancelled,          // the client went away before the reply came
    CertificateRefused, // the server's certificate was refused; nothing was sent
    Protocol,           // the server's answer could not be used (undecodable, cursor repeats)
};

//! An error as it travels between layers and onto the wire: a code plus human text. A client's
//! transport failure carries `transport` too; its code is `internal` (the server could not do
//! it this time), so code paths that retry on `internal` keep retrying.
struct Error
{
    Error() = default;
    Error(ErrorCode code, QString message, std::optional<TransportFailure> transport = std::nullopt)
        : code(code), message(std::move(message)), transport(transport)
    {}

    ErrorCode code = ErrorCode::Internal;
    QString message;
    std::optional<TransportFailure> transport;
    bool isTransport() const { return transport.has_value(); }
};

inline Error transportError(TransportFailure failure, QString message)
{
    return Error(ErrorCode::Internal, std::move(message), failure);
}

} // namespace tern
