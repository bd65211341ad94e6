#include "app/ui/RequestErrorText.h"

namespace tern::app::ui {

QString RequestErrorText::describe(const Error &error)
{
    switch (error.code) {
    case ErrorCode::Internal:
        // The client reports being offline and timeouts as `internal` too.
        return tr("The server could not be reached. Check the connection and try again.");
    case ErrorCode::Unauthenticated:
        return tr("Wrong user name or password.");
    case ErrorCode::Forbidden:
        return tr("You are not allowed to do that.");
    case ErrorCode::NotFound:
        return tr("That no longer exists.");
    case ErrorCode::Conflict:
        return tr("That name is already taken.");
    case ErrorCode::RateLimited:
        return tr("Too many attempts. Wait a moment and try again.");
    case ErrorCode::LimitExceeded:
        return tr("That is more than the server allows.");
    case ErrorCode::BadRequest:
    case ErrorCode::BadFrame:
    case ErrorCode::TooLarge:
    case ErrorCode::UnknownType:
        return tr("The server did not accept the request.");
    }
    return tr("Something went wrong.");
}

QString RequestErrorText::describeDownload(const Error &error)
{
    switch (error.code) {
    case ErrorCode::NotFound:
        return tr("It is no longer on the server.");
    case ErrorCode::BadRequest:
        // The only one: the bytes did not match the sender's SHA-256.
        return tr("It arrived damaged. Try again.");
    case ErrorCode::Forbidden:
        return tr("You are not allowed to see it.");
    default:
        return tr("It could not be downloaded. Check the connection and try again.");
    }
}

} // namespace tern::app::ui
