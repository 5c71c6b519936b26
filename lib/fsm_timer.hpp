#pragma once
// Timer actions shared by the protocols' pure state machines: the FSM names a timer and a
// duration, the session layer owns the clock (and adds jitter where the protocol asks for it).
#include <chrono>

namespace isthmus {

template <class TimerId>
struct StartTimerAction {
    TimerId timer;
    std::chrono::seconds duration;
    bool operator==(const StartTimerAction&) const = default;
};

template <class TimerId>
struct StopTimerAction {
    TimerId timer;
    bool operator==(const StopTimerAction&) const = default;
};

}  // namespace isthmus
