// irforge — command-line options, with Model Optimizer's flag names.
//
//   irforge [convert] --input_model M [--output_dir D] [--model_name N] ...   convert to IR
//   irforge run MODEL.xml --input in.npy [...] [--output_dir D]               evaluate an IR
//   irforge verify --input_model M [--input in.npy ...] [--seed N]            prove a conversion
//
// `--flag value` and `--flag=value` both work, as do MO's short aliases
// (-m/-w, -o, -n). An unknown flag is an error that names it, like argparse's
// "unrecognized arguments".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "irforge/core/attribute.hpp"
#include "irforge/core/error.hpp"

namespace irforge::cli {

enum class command { convert, run, verify };

struct options {
  cli::command command = command::convert;
  std::string input_model;
  std::string output_dir = ".";
  std::string model_name;
  std::string framework; ///< onnx, caffe, tf, mxnet, kaldi; empty = from the extension
  std::string input_proto; ///< Caffe: the .prototxt (default: the model's path with .prototxt)
  std::string log_level = "WARNING";
  bool silent = false;
  bool help = false;
  bool version = false;
  /// run/verify: input data files (.npy or ONNX .pb), "path" or "name=path".
  std::vector<std::string> inputs;
  /// verify: seed of the random inputs made for inputs not given.
  std::uint64_t seed = 1;
  /// verify: tolerance (NumPy allclose: |a - e| <= atol + rtol * |e|).
  double rtol = 1e-5, atol = 1e-6;
  /// Passes or rules to skip (--disable_passes a,b), and MO's --disable_fusing.
  std::vector<std::string> disabled_passes;
  bool disable_fusing = false;
  /// --report FILE.json, --dot FILE.dot
  std::string report_path, dot_path;
  /// Weight compression: --data_type FP16 / --compress_to_fp16, --compress_weights int8|int8_asym.
  bool compress_to_fp16 = false;
  std::string compress_weights;
  /// Ops without an ONNX mapping become custom layers instead of an error.
  bool passthrough_unknown_ops = false;
  /// Model inputs and outputs, in Model Optimizer's grammars (cli/mo_syntax.hpp):
  /// --input (convert: cut/shape/type/freeze), --output, --input_shape, --batch.
  std::string cut_inputs, cut_outputs, input_shape;
  std::int64_t batch = 0;
  /// Layouts and preprocessing: --layout, --source_layout, --target_layout,
  /// --mean_values, --scale_values, --scale, --reverse_input_channels.
  std::string layout, source_layout, target_layout, mean_values, scale_values;
  double scale = 0;
  bool reverse_input_channels = false;
  /// Options the user set, in the order given (for the IR's conversion_parameters).
  std::vector<std::pair<std::string, std::string>> given;
};

namespace detail {
struct flag {
  std::string_view name;
  std::vector<std::string_view> aliases;
  bool takes_value;
  std::vector<command> commands; ///< where the flag is accepted
  std::string_view help;
};

inline const std::vector<flag>& flags() {
  using c = command;
  static const std::vector<flag> list = {
      {"input_model", {"-m", "-w"}, true, {c::convert, c::run, c::verify}, "Model file: .onnx (ONNX), .caffemodel or .prototxt (Caffe); for run: an IR .xml"},
      {"output_dir", {"-o"}, true, {c::convert, c::run}, "Directory for the results (created if missing; default: .)"},
      {"model_name", {"-n"}, true, {c::convert}, "Name of the IR files and of the <net> (default: the input file's stem)"},
      {"framework", {}, true, {c::convert, c::verify}, "onnx or caffe (default: from the input file's extension)"},
      {"input_proto", {"-d"}, true, {c::convert, c::verify},
       "Caffe: the deploy .prototxt (default: the .caffemodel's path with .prototxt)"},
      {"input", {}, true, {c::run, c::verify}, "Input data, .npy or ONNX TensorProto .pb: PATH or NAME=PATH; repeatable"},
      {"input", {}, true, {c::convert},
       "New or changed model inputs: NAME, N:NODE, NODE:N, with [SHAPE], {TYPE}, ->VALUE (frozen); comma-separated"},
      {"output", {}, true, {c::convert}, "The model's outputs: NAME, NODE:N or N:NODE, comma-separated (cuts after them)"},
      {"input_shape", {}, true, {c::convert}, "Input shapes [1,3,224,224] or (1,3,?,-1), one per --input item"},
      {"batch", {"-b"}, true, {c::convert}, "Batch of every input (the N of its layout, else axis 0)"},
      {"layout", {}, true, {c::convert}, "Input layouts: nchw, data(nhwc), data(nhwc->nchw) (the IR input gets the target)"},
      {"source_layout", {}, true, {c::convert}, "The layout the model expects: nchw or data(nchw),..."},
      {"target_layout", {}, true, {c::convert}, "The layout the IR input gets (a Transpose is inserted)"},
      {"mean_values", {"-ms"}, true, {c::convert}, "Subtracted per channel: data[123,117,104] or [123,117,104]"},
      {"scale_values", {}, true, {c::convert}, "Divided per channel (after the mean): data[58,57,57] or [58,57,57]"},
      {"scale", {"-s"}, true, {c::convert}, "Every original input is divided by this value"},
      {"reverse_input_channels", {}, false, {c::convert}, "Reverse the channel order of 3-channel inputs (RGB <-> BGR)"},
      {"seed", {}, true, {c::verify}, "Seed of the random inputs made for inputs not given (default 1)"},
      {"rtol", {}, true, {c::verify}, "Relative tolerance (default 1e-5)"},
      {"atol", {}, true, {c::verify}, "Absolute tolerance (default 1e-6)"},
      {"data_type", {}, true, {c::convert}, "FP32 (default) or FP16 (= --compress_to_fp16); also float/half"},
      {"compress_to_fp16", {}, false, {c::convert},
       "Store float weights as f16 (Const f16 -> Convert f32); --compress_to_fp16=False turns it off"},
      {"compress_weights", {}, true, {c::convert},
       "int8 (symmetric, per output channel) or int8_asym (u8 with zero point): Convolution and MatMul weights"},
      {"disable_fusing", {}, false, {c::convert, c::verify}, "Skip the fusion passes (LinearFusion ...)"},
      {"disable_passes", {}, true, {c::convert, c::verify}, "Comma-separated names of passes or rules to skip"},
      {"passthrough_unknown_ops", {}, false, {c::convert, c::verify},
       "Write ops the frontend does not know as custom layers (output shape = input 0's) instead of failing"},
      {"report", {}, true, {c::convert}, "Write what the conversion did as JSON (passes, sizes, fused and removed layers)"},
      {"dot", {}, true, {c::convert}, "Write the converted graph for Graphviz"},
      {"log_level", {}, true, {c::convert, c::run, c::verify}, "CRITICAL, ERROR, WARNING (default), INFO (what each step did), DEBUG (every rule firing), NOTSET"},
      {"silent", {}, false, {c::convert, c::run, c::verify}, "Print errors only"},
      {"version", {}, false, {c::convert}, "Print the version and exit"},
      {"help", {"-h"}, false, {c::convert, c::run, c::verify}, "Show this help and exit"},
  };
  return list;
}

inline bool accepted(const flag& f, command c) {
  for (auto x : f.commands)
    if (x == c) return true;
  return false;
}
} // namespace detail

inline std::string usage(command c = command::convert) {
  std::string s;
  switch (c) {
  case command::convert:
    s = "usage: irforge --input_model MODEL [--output_dir DIR] [--model_name NAME] [options]\n"
        "       irforge run MODEL.xml --input DATA [...] [--output_dir DIR]\n"
        "       irforge verify --input_model MODEL [--input DATA ...] [--seed N]\n\n"
        "Converts a trained model into OpenVINO IR v11 (NAME.xml + NAME.bin).\n\noptions:\n";
    break;
  case command::run:
    s = "usage: irforge run MODEL.xml --input DATA [...] [--output_dir DIR]\n\n"
        "Evaluates an IR on the reference evaluator and writes each output as OUTPUT_NAME.npy.\n\noptions:\n";
    break;
  case command::verify:
    s = "usage: irforge verify --input_model MODEL [--input DATA ...] [--seed N] [--rtol R] [--atol A]\n\n"
        "Converts MODEL, then evaluates the graph as imported, after optimization and after a write/read of the IR,\n"
        "and reports the largest absolute and relative differences per output; exit code 1 past the tolerance.\n\n"
        "options:\n";
    break;
  }
  for (const auto& f : detail::flags()) {
    if (!detail::accepted(f, c)) continue;
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
  std::size_t i = 0;
  if (!args.empty() && (args[0] == "run" || args[0] == "verify" || args[0] == "convert")) {
    o.command = args[0] == "run" ? command::run : args[0] == "verify" ? command::verify : command::convert;
    i = 1;
  }
  for (; i < args.size(); ++i) {
    std::string arg = args[i];
    if (!arg.starts_with("-") && o.command == command::run && o.input_model.empty()) {
      o.input_model = arg; // `irforge run model.xml ...`
      continue;
    }
    std::optional<std::string> inline_value;
    if (arg.starts_with("--")) {
      if (const auto eq = arg.find('='); eq != std::string::npos) {
        inline_value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
      }
    }
    const detail::flag* match = nullptr;
    for (const auto& f : detail::flags()) {
      if (!detail::accepted(f, o.command)) continue;
      if (arg == "--" + std::string(f.name)) match = &f;
      for (auto a : f.aliases)
        if (arg == a) match = &f;
    }
    if (match == nullptr)
      throw error("unrecognized arguments: " + args[i] + " (see --help)");
    std::string value;
    if (match->takes_value) {
      if (inline_value) value = *inline_value;
      else if (i + 1 < args.size()) value = args[++i];
      else throw error("argument --" + std::string(match->name) + ": expected one argument");
    } else if (inline_value && match->name != "compress_to_fp16") {
      throw error("argument --" + std::string(match->name) + ": takes no value");
    }
    const std::string_view name = match->name;
    auto number = [&](auto& target) {
      try {
        attr::parse(value, target);
      } catch (const error&) {
        throw error("argument --" + std::string(name) + ": invalid value '" + value + "'");
      }
    };
    if (name == "input_model") o.input_model = value;
    else if (name == "output_dir") o.output_dir = value;
    else if (name == "model_name") o.model_name = value;
    else if (name == "framework") o.framework = value;
    else if (name == "input_proto") o.input_proto = value;
    else if (name == "log_level") o.log_level = value;
    else if (name == "input" && o.command != command::convert) o.inputs.push_back(value);
    else if (name == "input") o.cut_inputs = value;
    else if (name == "output") o.cut_outputs = value;
    else if (name == "input_shape") o.input_shape = value;
    else if (name == "batch") {
      number(o.batch);
      if (o.batch <= 0) throw error("argument --batch: the batch must be a positive integer, got '" + value + "'");
    } else if (name == "layout") o.layout = value;
    else if (name == "source_layout") o.source_layout = value;
    else if (name == "target_layout") o.target_layout = value;
    else if (name == "mean_values") o.mean_values = value;
    else if (name == "scale_values") o.scale_values = value;
    else if (name == "scale") {
      number(o.scale);
      if (!(o.scale > 0)) throw error("argument --scale: must be positive, got '" + value + "'");
    } else if (name == "reverse_input_channels") o.reverse_input_channels = true;
    else if (name == "seed") {
      std::int64_t s = 0;
      number(s);
      o.seed = static_cast<std::uint64_t>(s);
    } else if (name == "rtol") number(o.rtol);
    else if (name == "atol") number(o.atol);
    else if (name == "silent") o.silent = true;
    else if (name == "disable_fusing") o.disable_fusing = true;
    else if (name == "report") o.report_path = value;
    else if (name == "dot") o.dot_path = value;
    else if (name == "data_type") {
      if (value == "FP16" || value == "half") o.compress_to_fp16 = true;
      else if (value == "FP32" || value == "float") o.compress_to_fp16 = false;
      else throw error("argument --data_type: invalid choice: '" + value + "' (choose from FP16, FP32, half, float)");
    } else if (name == "compress_to_fp16") {
      bool on = true;
      if (inline_value) number(on);
      o.compress_to_fp16 = on;
    } else if (name == "compress_weights") {
      if (value != "int8" && value != "int8_asym" && value != "int8_sym")
        throw error("argument --compress_weights: invalid choice: '" + value + "' (choose from int8, int8_asym)");
      o.compress_weights = value;
    }
    else if (name == "passthrough_unknown_ops") o.passthrough_unknown_ops = true;
    else if (name == "disable_passes") {
      for (auto item : attr::detail::split_list(value)) o.disabled_passes.emplace_back(item);
    }
    else if (name == "version") o.version = true;
    else if (name == "help") o.help = true;
    if (name != "help" && name != "version") o.given.emplace_back(std::string(name), match->takes_value ? value : "True");
  }
  static const char* levels[] = {"CRITICAL", "ERROR", "WARN", "WARNING", "INFO", "DEBUG", "NOTSET"};
  bool level_ok = false;
  for (const char* l : levels) level_ok = level_ok || o.log_level == l;
  if (!level_ok) throw error("argument --log_level: invalid choice: '" + o.log_level + "'");
  if (o.batch && !o.input_shape.empty())
    throw error("--batch and --input_shape cannot be used together (give the batch inside the shape)");
  if (o.scale && !o.scale_values.empty())
    throw error("--scale and --scale_values cannot be used together (one value for all channels: --scale_values [v])");
  if (!o.layout.empty() && (!o.source_layout.empty() || !o.target_layout.empty()))
    throw error("--layout cannot be used with --source_layout or --target_layout");
  if (!o.help && !o.version && o.input_model.empty())
    throw error(o.command == command::run ? "the following arguments are required: MODEL.xml"
                                          : "the following arguments are required: --input_model");
  return o;
}

} // namespace irforge::cli
