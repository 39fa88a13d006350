#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

namespace dossier::test {

/// Runs `a` and `b` on two threads released at the same moment and waits for both. In round
/// `round`, one of them starts (round / 2) × `step` later — `b` in even rounds, `a` in odd
/// ones — so that over a few rounds each comes first. For race tests; `a` and `b` must be
/// safe to run at once.
inline void raceInTurns(int round, const std::function<void()>& a, const std::function<void()>& b,
                        std::chrono::microseconds step = std::chrono::microseconds(400)) {
    std::atomic<bool> go{false};
    const auto delay = (round / 2) * step;
    std::thread first([&] {
        while (!go) std::this_thread::yield();
        if (round % 2) std::this_thread::sleep_for(delay);
        a();
    });
    std::thread second([&] {
        while (!go) std::this_thread::yield();
        if (round % 2 == 0) std::this_thread::sleep_for(delay);
        b();
    });
    go = true;
    first.join();
    second.join();
}

}  // namespace dossier::test
