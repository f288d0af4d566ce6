// irforge — command-line options, with Model Optimizer's flag names.
//
// `--flag value` and `--flag=value` both work, as do MO's short aliases
// (-m/-w, -o, -n, -b, -s, -ms, -d). An unknown flag is an error that names it,
// like argparse's "unrecognized arguments".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/error.hpp"

namespace irforge::cli {

struct options {
  std::string input_model;
  std::string output_dir = ".";
  std::string model_name;
  std::string framework; ///< onnx, caffe, tf, mxnet, kaldi; empty = from the extension
  std::string log_level = "ERROR";
  bool silent = false;
  bool help = false;
  bool version = false;
  /// Flags whose values other issues give meaning to are kept as given.
  std::map<std::string, std::string> extra;
  /// Options the user set, in the order given (for the IR's conversion_parameters).
  std::vector<std::pair<std::string, std::string>> given;
};

namespace detail {
struct flag {
  std::string_view name;
  std::vector<std::string_view> aliases;
  bool takes_value;
  std::string_view help;
};

inline const std::vector<flag>& flags() {
  static const std::vector<flag> list = {
      {"input_model", {"-m", "-w"}, true, "Model file: .onnx (ONNX)"},
      {"output_dir", {"-o"}, true, "Directory for the IR files (created if missing; default: current directory)"},
      {"model_name", {"-n"}, true, "Name of the IR files and of the <net> (default: the input file's stem)"},
      {"framework", {}, true, "onnx (default: from the input file's extension)"},
      {"log_level", {}, true, "CRITICAL, ERROR (default), WARNING, INFO, DEBUG, NOTSET"},
      {"silent", {}, false, "Print errors only"},
      {"version", {}, false, "Print the version and exit"},
      {"help", {"-h"}, false, "Show this help and exit"},
  };
  return list;
}
} // namespace detail

inline std::string usage() {
  std::string s =
      "usage: irforge --input_model MODEL [--output_dir DIR] [--model_name NAME] [options]\n\n"
      "Converts a trained model into OpenVINO IR v11 (NAME.xml + NAME.bin).\n\noptions:\n";
  for (const auto& f : detail::flags()) {
    std::string left = "  --" + std::string(f.name);
    for (auto a : f.aliases) left += ", " + std::string(a);
    if (f.takes_value) left += " VALUE";
    if (left.size() < 34) left.resize(34, ' ');
    else left += "\n" + std::string(34, ' ');
    s += left + std::string(f.help) + "\n";
  }
  return s;
}

/// Parses argv (without argv[0]). Errors name the offending flag.
inline options parse_arguments(const std::vector<std::string>& args) {
  options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::optional<std::string> inline_value;
    if (arg.starts_with("--")) {
      if (const auto eq = arg.find('='); eq != std::string::npos) {
        inline_value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
      }
    }
    const detail::flag* match = nullptr;
    for (const auto& f : detail::flags()) {
      if (arg == "--" + std::string(f.name)) match = &f;
      for (auto a : f.aliases)
        if (arg == a) match = &f;
    }
    if (match == nullptr) throw error("unrecognized arguments: " + args[i] + " (see --help)");
    std::string value;
    if (match->takes_value) {
      if (inline_value) value = *inline_value;
      else if (i + 1 < args.size()) value = args[++i];
      else throw error("argument --" + std::string(match->name) + ": expected one argument");
    } else if (inline_value) {
      throw error("argument --" + std::string(match->name) + ": takes no value");
    }
    const std::string_view name = match->name;
    if (name == "input_model") o.input_model = value;
    else if (name == "output_dir") o.output_dir = value;
    else if (name == "model_name") o.model_name = value;
    else if (name == "framework") o.framework = value;
    else if (name == "log_level") o.log_level = value;
    else if (name == "silent") o.silent = true;
    else if (name == "version") o.version = true;
    else if (name == "help") o.help = true;
    else o.extra[std::string(name)] = value;
    if (name != "help" && name != "version") o.given.emplace_back(std::string(name), match->takes_value ? value : "True");
  }
  static const char* levels[] = {"CRITICAL", "ERROR", "WARN", "WARNING", "INFO", "DEBUG", "NOTSET"};
  bool level_ok = false;
  for (const char* l : levels) level_ok = level_ok || o.log_level == l;
  if (!level_ok) throw error("argument --log_level: invalid choice: '" + o.log_level + "'");
  if (!o.help && !o.version && o.input_model.empty()) throw error("the following arguments are required: --input_model");
  return o;
}

} // namespace irforge::cli
