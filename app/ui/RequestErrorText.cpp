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

} // namespace tern::app::ui
