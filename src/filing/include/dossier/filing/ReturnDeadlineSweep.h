#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

namespace dossier::filing {

class ApplicationService;

/// Fails the returned applications (退回修改) whose deadline passed without a resubmission,
/// in the background: every `interval` it runs ApplicationService::lapseDueReturns, so the
/// organization's members are notified at the deadline even when nobody reads the
/// application (every read applies the same rule first, so nothing depends on this thread's
/// timing). One thread; start() and stop() are called from one thread; stop() waits for a
/// pass under way.
class ReturnDeadlineSweep {
  public:
    /// `applications` must outlive the sweep.
    ReturnDeadlineSweep(ApplicationService& applications, std::chrono::milliseconds interval);
    ~ReturnDeadlineSweep();
    ReturnDeadlineSweep(const ReturnDeadlineSweep&) = delete;
    ReturnDeadlineSweep& operator=(const ReturnDeadlineSweep&) = delete;

    /// Starts the thread (a pass at once, then one per interval); a second call does nothing.
    void start();
    void stop();
    /// One pass on the calling thread: how many applications failed now. Throws what
    /// ApplicationService::lapseDueReturns throws (storage.database).
    std::size_t runOnce();

  private:
    void loop();

    ApplicationService& applications_;
    std::chrono::milliseconds interval_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wakeup_;
    bool stopping_ = false;  // guarded by mutex_
};

}  // namespace dossier::filing
