// irforge — a read-only memory-mapped file.
//
// Model weights stay views into the mapping until the IR writer streams them
// out, so a model is read from disk once and never copied in memory. Tensors
// that view the mapping hold a shared_ptr to it, which keeps it alive.
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irforge/core/error.hpp"

namespace irforge::io {

class mapped_file {
public:
  /// Maps `path` read-only. An empty file maps to an empty span.
  static std::shared_ptr<const mapped_file> open(const std::string& path) {
    return std::shared_ptr<const mapped_file>(new mapped_file(path));
  }

  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;
  ~mapped_file() {
    if (data_ != nullptr && size_ != 0) ::munmap(data_, size_);
  }

  [[nodiscard]] std::span<const std::byte> bytes() const { return {static_cast<const std::byte*>(data_), size_}; }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] const std::string& path() const { return path_; }

private:
  explicit mapped_file(const std::string& path) : path_(path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw error(std::string("cannot open file: ") + std::strerror(errno), in_file(path));
    struct ::stat st {};
    if (::fstat(fd, &st) != 0) {
      const int e = errno;
      ::close(fd);
      throw error(std::string("cannot stat file: ") + std::strerror(e), in_file(path));
    }
    if (!S_ISREG(st.st_mode)) {
      ::close(fd);
      throw error("not a regular file", in_file(path));
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ != 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        const int e = errno;
        ::close(fd);
        throw error(std::string("cannot map file: ") + std::strerror(e), in_file(path));
      }
      data_ = p;
    }
    ::close(fd);
  }

  std::string path_;
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

} // namespace irforge::io
