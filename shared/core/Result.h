#pragma once

//! Result<T>: a value or an Error (a small std::expected, which is C++23).

#include "shared/core/ErrorCode.h"

#include <utility>
#include <variant>

namespace tern {

template <typename T> class [[nodiscard]] Result
{
public:
    Result() : m_data(Error{ErrorCode::Internal, QStringLiteral("no result")}) {}
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_data); }
    T &value() & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    const T *operator->() const { return &std::get<T>(m_data); }
    T *operator->() { return &std::get<T>(m_data); }
    const T &operator*() const { return value(); }

    const Error &error() const { return std::get<Error>(m_data); }

private:
    std::variant<T, Error> m_data;
};

//! For operations that return nothing but can fail.
struct Ok
{
};
using Status = Result<Ok>;

inline Error makeError(ErrorCode code, QString message)
{
    return Error{code, std::move(message)};
}

} // namespace tern
