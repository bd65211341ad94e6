#include "ErrorCode.h"

#include <array>
#include <utility>

namespace tern {

namespace {
constexpr std::array<std::pair<ErrorCode, const char *>, 11> kNames{{
    {ErrorCode::BadFrame, "bad_frame"},
    {ErrorCode::TooLarge, "too_large"},
    {ErrorCode::BadRequest, "bad_request"},
    {ErrorCode::UnknownType, "unknown_type"},
    {ErrorCode::Unauthenticated, "unauthenticated"},
    {ErrorCode::Forbidden, "forbidden"},
    {ErrorCode::NotFound, "not_found"},
    {ErrorCode::Conflict, "conflict"},
    {ErrorCode::RateLimited, "rate_limited"},
    {ErrorCode::LimitExceeded, "limit_exceeded"},
    {ErrorCode::Internal, "internal"},
}};
} // namespace

QString errorCodeName(ErrorCode code)
{
    for (const auto &[c, name] : kNames) {
        if (c == code)
            return QString::fromLatin1(name);
    }
    return QStringLiteral("internal");
}

std::optional<ErrorCode> errorCodeFromName(const QString &name)
{
    for (const auto &[c, n] : kNames) {
        if (name == QLatin1String(n))
            return c;
    }
    return std::nullopt;
}

} // namespace tern
