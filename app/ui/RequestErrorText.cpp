#include "app/ui/RequestErrorText.h"

namespace tern::app::ui {

QString RequestErrorText::describeTransport(TransportFailure failure)
{
    switch (failure) {
    case TransportFailure::Offline:
    case TransportFailure::Cancelled:
        break;
    case TransportFailure::Timeout:
        return tr("The server did not answer in time. Check the connection and try again.");
    case TransportFailure::CertificateRefused:
        return tr("The server's certificate was not accepted, so nothing was sent.");
    case TransportFailure::Protocol:
        return tr("The server's answer could not be understood. Try again later.");
    }
    return tr("The server could not be reached. Check the connection and try again.");
}

QString RequestErrorText::describe(const Error &error)
{
    // Failures on our side of the wire first: their code is only `internal`.
    if (error.transport)
        return describeTransport(*error.transport);
    switch (error.code) {
    case ErrorCode::Internal:
        return tr("The server could not do that just now. Try again later.");
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
