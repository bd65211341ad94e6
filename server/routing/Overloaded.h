#pragma once

// The usual visitor helper for std::visit over the request variant.

namespace tern::server::routing {

template <class... Ts> struct Overloaded : Ts...
{
    using Ts::operator()...;
};
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

} // namespace tern::server::routing
