#pragma once
// A small Result<T, E>: C++20 has no std::expected. Codecs and parsers return
// errors as values; nothing here throws except value()/error() misuse.
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

namespace isthmus {

template <class E>
struct Err {
    E error;
};

template <class E>
Err<std::decay_t<E>> err(E&& e) {
    return {std::forward<E>(e)};
}

template <class T, class E>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    template <class F>
        requires std::is_constructible_v<E, F>
    Result(Err<F> e) : v_(std::in_place_index<1>, E(std::move(e.error))) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return checked_value(); }
    const T& value() const& { return const_cast<Result*>(this)->checked_value(); }
    T&& value() && { return std::move(checked_value()); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const E& error() const {
        if (ok()) throw std::logic_error("Result::error() on a value");
        return std::get<1>(v_);
    }

    T value_or(T fallback) const { return ok() ? std::get<0>(v_) : std::move(fallback); }

private:
    T& checked_value() {
        if (!ok()) throw std::logic_error("Result::value() on an error");
        return std::get<0>(v_);
    }
    std::variant<T, E> v_;
};

// Result of an operation that yields nothing on success.
struct Unit {
    bool operator==(const Unit&) const = default;
};
template <class E>
using Status = Result<Unit, E>;
inline constexpr Unit ok_unit{};

}  // namespace isthmus
