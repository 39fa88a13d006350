#include "Metrics.h"

#include <sstream>

namespace dossier::http {
namespace {

std::string escapeLabel(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

}  // namespace

void Metrics::recordRequest(const std::string& route, const std::string& method, int status,
                            double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[{route, method, status}];
    auto& h = latency_[route];
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) ++h.counts[i];
    }
    ++h.count;
    h.sum += seconds;
}

void Metrics::recordUpload(std::uint64_t bytes) {
    std::lock_guard lock(mutex_);
    uploadBytes_ += bytes;
    ++uploads_;
}

void Metrics::recordRejectedUpload(ErrorCode code) {
    std::lock_guard lock(mutex_);
    ++rejected_[std::string(code.text())];
}

std::string Metrics::render() const {
    std::lock_guard lock(mutex_);
    std::ostringstream out;
    out << "# HELP dossier_http_requests_total HTTP requests by route, method and status.\n"
        << "# TYPE dossier_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
        out << "dossier_http_requests_total{route=\"" << escapeLabel(std::get<0>(key))
            << "\",method=\"" << std::get<1>(key) << "\",status=\"" << std::get<2>(key) << "\"} "
            << n << "\n";
    }
    out << "# HELP dossier_http_request_duration_seconds Time from request line to response.\n"
        << "# TYPE dossier_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
        std::string r = escapeLabel(route);
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
            out << "dossier_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\""
                << kBuckets[i] << "\"} " << h.counts[i] << "\n";
        }
        out << "dossier_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\"+Inf\"} "
            << h.count << "\n"
            << "dossier_http_request_duration_seconds_sum{route=\"" << r << "\"} " << h.sum << "\n"
            << "dossier_http_request_duration_seconds_count{route=\"" << r << "\"} " << h.count
            << "\n";
    }
    out << "# HELP dossier_upload_bytes_total Bytes of accepted uploads.\n"
        << "# TYPE dossier_upload_bytes_total counter\n"
        << "dossier_upload_bytes_total " << uploadBytes_ << "\n"
        << "# HELP dossier_uploads_total Accepted uploads.\n"
        << "# TYPE dossier_uploads_total counter\n"
        << "dossier_uploads_total " << uploads_ << "\n"
        << "# HELP dossier_uploads_rejected_total Refused uploads by error code.\n"
        << "# TYPE dossier_uploads_rejected_total counter\n";
    for (const auto& [code, n] : rejected_) {
        out << "dossier_uploads_rejected_total{code=\"" << escapeLabel(code) << "\"} " << n << "\n";
    }
    return out.str();
}

}  // namespace dossier::http
