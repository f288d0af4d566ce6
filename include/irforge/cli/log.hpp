// irforge — the converter's log (--log_level), in Model Optimizer's format:
//
//   [ WARNING ]  --reverse_input_channels: input 'mask' has no 3-channel axis; left as it is
//   [ INFO ]  ConstantFolding: 12 changes, 180 -> 168 nodes, 0.4 ms
//   [ DEBUG ]  LinearFusion: BatchNormIntoConvolution at 'conv1/bn'
//
// WARNING says what the user should know about the result (layers dropped,
// options that did not apply), INFO what each step did, DEBUG every rule
// firing with the node it fired at. The levels are Python logging's, as MO
// takes them; the default shows warnings (MO prints its warnings too).
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "irforge/core/error.hpp"

namespace irforge::cli {

enum class log_level { notset = 0, debug = 10, info = 20, warning = 30, error = 40, critical = 50 };

/// "DEBUG", "info", ... (case-insensitive); anything else is an error naming the choices.
inline log_level parse_log_level(std::string_view text) {
  std::string upper(text);
  for (char& c : upper)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (upper == "CRITICAL") return log_level::critical;
  if (upper == "ERROR") return log_level::error;
  if (upper == "WARNING" || upper == "WARN") return log_level::warning;
  if (upper == "INFO") return log_level::info;
  if (upper == "DEBUG") return log_level::debug;
  if (upper == "NOTSET") return log_level::notset;
  throw error("--log_level: '" + std::string(text) + "' is not one of CRITICAL, ERROR, WARNING, INFO, DEBUG, NOTSET");
}

/// Writes messages at or above a level to a stream; a default logger writes nothing.
class logger {
public:
  logger() = default;
  logger(std::ostream& out, log_level level) : out_(&out), level_(level) {}

  [[nodiscard]] bool enabled(log_level l) const { return out_ != nullptr && l >= level_ && l != log_level::notset; }
  void warning(std::string_view message) const { write(log_level::warning, "[ WARNING ]  ", message); }
  void info(std::string_view message) const { write(log_level::info, "[ INFO ]  ", message); }
  void debug(std::string_view message) const { write(log_level::debug, "[ DEBUG ]  ", message); }

private:
  void write(log_level l, std::string_view tag, std::string_view message) const {
    if (enabled(l)) *out_ << tag << message << "\n";
  }
  std::ostream* out_ = nullptr;
  log_level level_ = log_level::warning;
};

} // namespace irforge::cli
