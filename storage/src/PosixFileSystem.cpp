#include "dossier/storage/FileSystem.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <system_error>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::storage {
namespace {

[[noreturn]] void fail(const char* op, const std::string& path, int err) {
    std::string detail = std::string(op) + " " + path + ": " + std::strerror(err);
    if (err == ENOSPC || err == EDQUOT) {
        throw Error(codes::kStorageFull, "The server has no space left to store the file.", detail);
    }
    throw Error(codes::kStorageIo, "The server could not access its storage.", detail);
}

std::string randomSuffix() {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s(16, '0');
    std::uint64_t v = engine();
    for (char& c : s) {
        c = kHex[v & 15];
        v >>= 4;
    }
    return s;
}

class PosixWritableFile final : public WritableFile {
  public:
    PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
    ~PosixWritableFile() override {
        if (fd_ >= 0) ::close(fd_);
    }
    PosixWritableFile(const PosixWritableFile&) = delete;
    PosixWritableFile& operator=(const PosixWritableFile&) = delete;

    const std::string& path() const override { return path_; }

    void append(const void* data, std::size_t n) override {
        auto p = static_cast<const char*>(data);
        while (n > 0) {
            ssize_t w = ::write(fd_, p, n);
            if (w < 0) {
                if (errno == EINTR) continue;
                fail("write", path_, errno);
            }
            p += w;
            n -= static_cast<std::size_t>(w);
        }
    }

    void sync() override {
        if (::fsync(fd_) != 0) fail("fsync", path_, errno);
    }

    void close() override {
        if (fd_ < 0) return;
        int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0 && errno != EINTR) fail("close", path_, errno);
    }

  private:
    std::string path_;
    int fd_;
};

class PosixReadableFile final : public ReadableFile {
  public:
    PosixReadableFile(std::string path, int fd, std::uint64_t size)
        : path_(std::move(path)), fd_(fd), size_(size) {}
    ~PosixReadableFile() override { ::close(fd_); }
    PosixReadableFile(const PosixReadableFile&) = delete;
    PosixReadableFile& operator=(const PosixReadableFile&) = delete;

    std::uint64_t size() const override { return size_; }

    std::size_t readAt(std::uint64_t offset, void* out, std::size_t n) const override {
        std::size_t done = 0;
        auto p = static_cast<char*>(out);
        while (done < n) {
            ssize_t r = ::pread(fd_, p + done, n - done, static_cast<off_t>(offset + done));
            if (r < 0) {
                if (errno == EINTR) continue;
                fail("read", path_, errno);
            }
            if (r == 0) break;
            done += static_cast<std::size_t>(r);
        }
        return done;
    }

  private:
    std::string path_;
    int fd_;
    std::uint64_t size_;
};

}  // namespace

std::unique_ptr<WritableFile> PosixFileSystem::createTemp(const std::string& dir,
                                                          const std::string& prefix) {
    for (int attempt = 0; attempt < 16; ++attempt) {
        std::string path = dir + "/" + prefix + randomSuffix() + ".tmp";
        int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) return std::make_unique<PosixWritableFile>(path, fd);
        if (errno != EEXIST) fail("create", path, errno);
    }
    fail("create", dir, EEXIST);
}

std::unique_ptr<ReadableFile> PosixFileSystem::openRead(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail("open", path, errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        int err = errno;
        ::close(fd);
        fail("stat", path, err);
    }
    return std::make_unique<PosixReadableFile>(path, fd, static_cast<std::uint64_t>(st.st_size));
}

void PosixFileSystem::rename(const std::string& from, const std::string& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) fail("rename", from + " -> " + to, errno);
}

void PosixFileSystem::syncDirectory(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail("open", dir, errno);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) fail("fsync", dir, err);
}

void PosixFileSystem::remove(const std::string& path) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail("unlink", path, errno);
}

bool PosixFileSystem::exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

void PosixFileSystem::createDirectories(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) fail("mkdir", dir, ec.value());
    if (!std::filesystem::is_directory(dir, ec)) fail("mkdir", dir, ENOTDIR);
}

std::vector<std::string> PosixFileSystem::listFiles(const std::string& dir) {
    std::vector<std::string> names;
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
        if (errno == ENOENT) return names;
        fail("opendir", dir, errno);
    }
    while (dirent* e = ::readdir(d)) {
        if (e->d_type == DT_REG || e->d_type == DT_UNKNOWN) {
            std::string name = e->d_name;
            if (name != "." && name != "..") names.push_back(std::move(name));
        }
    }
    ::closedir(d);
    return names;
}

std::int64_t PosixFileSystem::modifiedAt(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) fail("stat", path, errno);
    return static_cast<std::int64_t>(st.st_mtime);
}

}  // namespace dossier::storage
