#pragma once
// std::visit with one lambda per alternative: std::visit(Overloaded{[](A&) {...}, [](B&) {...}}, v).

namespace isthmus {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace isthmus
