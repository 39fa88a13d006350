#include "dossier/filing/ReturnDeadlineSweep.h"

#include <Poco/Logger.h>

#include <exception>
#include <string>

#include "dossier/filing/ApplicationService.h"

namespace dossier::filing {

ReturnDeadlineSweep::ReturnDeadlineSweep(ApplicationService& applications,
                                         std::chrono::milliseconds interval)
    : applications_(applications), interval_(interval) {}

ReturnDeadlineSweep::~ReturnDeadlineSweep() { stop(); }

void ReturnDeadlineSweep::start() {
    if (thread_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
    }
    thread_ = std::thread([this] { loop(); });
}

void ReturnDeadlineSweep::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wakeup_.notify_all();
    if (thread_.joinable()) thread_.join();
}

std::size_t ReturnDeadlineSweep::runOnce() { return applications_.lapseDueReturns(); }

void ReturnDeadlineSweep::loop() {
    auto& log = Poco::Logger::get("dossier.review");
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            if (auto lapsed = runOnce()) {
                log.information("returned applications failed at their deadline: " +
                                std::to_string(lapsed));
            }
        } catch (const std::exception& e) {
            // The database may be away for a while; the next pass (and every read) tries again.
            log.error(std::string("return deadline sweep: ") + e.what());
        }
        lock.lock();
        wakeup_.wait_for(lock, interval_, [this] { return stopping_; });
    }
}

}  // namespace dossier::filing
