// irforge — the command-line converter as a function, so a user can build
// their own converter binary with their own ops and mappings:
//
//   int main(int argc, char** argv) { return irforge::cli::main(argc, argv, my_extensions); }
//
// Output follows Model Optimizer: "[ SUCCESS ]" lines on success, one
// "[ ERROR ]  ..." line naming file and node on failure, exit code 1.
#pragma once

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#include "irforge/cli/evaluate_commands.hpp"
#include "irforge/cli/extensions.hpp"
#include "irforge/cli/input_options.hpp"
#include "irforge/cli/json_report.hpp"
#include "irforge/cli/load_model.hpp"
#include "irforge/cli/log.hpp"
#include "irforge/cli/options.hpp"
#include "irforge/core/error.hpp"
#include "irforge/frontends/unsupported_ops.hpp"
#include "irforge/ir/dot_writer.hpp"
#include "irforge/ir/writer.hpp"
#include "irforge/passes/compress_weights.hpp"
#include "irforge/passes/standard.hpp"
#include "irforge/reference/evaluator.hpp"
#include "irforge/version.hpp"

namespace irforge::cli {

namespace detail {
inline passes::pipeline_report optimize(graph& g, const options& o, const extensions& ext, const logger& log = {}) {
  passes::run_options run;
  run.disabled = o.disabled_passes;
  if (o.disable_fusing)
    for (auto name : passes::fusion_passes) run.disabled.emplace_back(name);
  if (log.enabled(log_level::debug))
    run.on_rule_fired = [&log](std::string_view pass, std::string_view rule, std::string_view node) {
      log.debug(std::string(pass) + ": " + std::string(rule) + " at '" + std::string(node) + "'");
    };
  auto report = ext.optimize ? ext.optimize(g, run) : passes::standard().run(g, run);
  if (log.enabled(log_level::info))
    for (const auto& p : report.passes) {
      if (p.skipped) {
        log.info(p.name + ": skipped (disabled)");
        continue;
      }
      char ms[32];
      std::snprintf(ms, sizeof ms, "%.1f", p.milliseconds);
      std::string line = p.name + ": " + std::to_string(p.changes) + " changes, " + std::to_string(p.nodes_before) +
                         " -> " + std::to_string(p.nodes_after) + " nodes, " + ms + " ms";
      bool first = true;
      for (const auto& [rule, n] : p.rules)
        if (n) {
          line += (first ? " (" : ", ") + rule + " x" + std::to_string(n);
          first = false;
        }
      log.info(first ? line : line + ")");
    }
  return report;
}
} // namespace detail

/// The summary of one conversion (also what --report writes).
using conversion_report = report_data;

/// Model Optimizer's progress bar on stderr, "Progress: [....      ]  45.00% done",
/// shown only when stderr is a terminal and the conversion has taken over a second.
class progress_bar {
public:
  explicit progress_bar(bool enabled) : enabled_(enabled && ::isatty(2) != 0), start_(std::chrono::steady_clock::now()) {}
  void update(double fraction) {
    if (!enabled_) return;
    if (std::chrono::steady_clock::now() - start_ < std::chrono::seconds(1)) return;
    const int filled = static_cast<int>(fraction * 20 + 0.5);
    std::fprintf(stderr, "\rProgress: [%s%s] %6.2f%% done", std::string(static_cast<std::size_t>(filled), '.').c_str(),
                 std::string(static_cast<std::size_t>(20 - filled), ' ').c_str(), fraction * 100);
    shown_ = true;
  }
  ~progress_bar() {
    if (shown_) std::fprintf(stderr, "\n");
  }

private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
};

namespace detail {

/// MO's default model name: the input file's stem ("model" for a dot file).
inline std::string model_name_of(const options& o) {
  if (!o.model_name.empty()) return o.model_name;
  const std::string stem = std::filesystem::path(o.input_model).stem().string();
  return stem.empty() || stem.front() == '.' ? "model" : stem;
}

/// "LinearFusion: MultiplyIntoWeights x53, ...; ConstantFolding: 12 changes" (passes that changed something).
inline std::string fired_summary(const passes::pipeline_report& r) {
  std::string s;
  for (const auto& p : r.passes) {
    if (p.skipped || p.changes == 0) continue;
    if (!s.empty()) s += "; ";
    s += p.name + ":";
    if (p.rules.empty()) {
      s += " " + std::to_string(p.changes) + " changes";
    } else {
      bool first = true;
      for (const auto& [rule, n] : p.rules)
        if (n) {
          s += (first ? " " : ", ") + rule + " x" + std::to_string(n);
          first = false;
        }
    }
  }
  return s.empty() ? "none applied" : s;
}

/// Set by cli::main: the process ends right after run(), so the converted
/// graph is handed to the OS with the rest of the memory instead of being
/// freed node by node (compilers treat their ASTs the same way; freeing a
/// 50k-node graph costs about a tenth of its conversion).
inline bool& process_ends_after_run() {
  static bool ends = false;
  return ends;
}

inline long peak_memory_mb() {
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024; // ru_maxrss is in KiB on Linux
}

} // namespace detail

/// Converts one model as the options say; throws irforge::error on failure.
/// `report` is filled as the conversion goes, so it says how far a failed one got.
inline void convert(const options& o, report_data& report, const extensions& ext = {}, const logger& log = {}) {
  const auto start = std::chrono::steady_clock::now();
  progress_bar progress(!o.silent);
  report.input_model = o.input_model;
  report.options = o.given;
  report.framework = detail::framework_of(o);
  loaded_model source = load_model(o, ext, log);
  graph g = std::move(source.g);
  report.source_bytes = source.source_bytes;
  report.source_layers = std::move(source.source_layers);
  report.notes = std::move(source.notes);
  progress.update(0.25);
  if (has_input_options(o)) {
    const auto changes = apply_input_options(g, o);
    report.new_inputs = changes.inputs;
    report.frozen_inputs = changes.frozen;
    report.new_outputs = changes.outputs;
    report.preprocessing = changes.preprocessing;
    report.removed_by_cut = changes.removed;
    for (const auto& w : changes.warnings) log.warning(w);
    report.notes.insert(report.notes.end(), changes.warnings.begin(), changes.warnings.end());
    for (const auto& i : changes.inputs) log.info("Input " + i);
    for (const auto& f : changes.frozen) log.info("Frozen input " + f);
    for (const auto& out : changes.outputs) log.info("Output " + out);
    for (const auto& p : changes.preprocessing) log.info("Preprocessing " + p);
    if (changes.removed) log.info("Cutting removed " + std::to_string(changes.removed) + " nodes no output needs");
  }
  progress.update(0.5);

  report.passes = detail::optimize(g, o, ext, log);
  if (!o.compress_weights.empty())
    report.compression = passes::compress_weights_int8(
        g, o.compress_weights == "int8_asym" ? passes::int8_mode::asymmetric : passes::int8_mode::symmetric);
  if (o.compress_to_fp16) {
    const auto fp16 = passes::fp16_compress(g);
    report.compression.constants += fp16.constants;
    report.compression.bytes_before += fp16.bytes_before;
    report.compression.bytes_after += fp16.bytes_after;
    report.compression.clamped += fp16.clamped;
    report.compression.flushed += fp16.flushed;
    report.compression.kept += fp16.kept;
  }
  if (report.compression.constants)
    log.info("Compressed " + std::to_string(report.compression.constants) + " weight tensors: " +
             std::to_string(report.compression.bytes_before) + " -> " + std::to_string(report.compression.bytes_after) +
             " bytes");
  if (report.compression.clamped)
    log.warning(std::to_string(report.compression.clamped) +
                " weight values were outside the f16 range and were clamped to it");
  progress.update(0.75);
  const std::string name = detail::model_name_of(o);
  g.set_name(name);
  g.rt_info = {{"irforge_version", std::string(version_string)},
               {"framework", report.framework},
               {"input_model", std::filesystem::path(o.input_model).filename().string()}};

  std::error_code ec;
  std::filesystem::create_directories(o.output_dir, ec);
  if (ec) throw error("cannot create the output directory: " + ec.message(), in_file(o.output_dir));
  const std::string stem = (std::filesystem::path(o.output_dir) / name).string();
  report.written = ir::save(g, stem);
  report.xml_path = stem + ".xml";
  report.bin_path = stem + ".bin";
  if (!o.dot_path.empty()) ir::save_dot(g, o.dot_path);
  progress.update(1.0);
  report.result_graph = std::make_shared<graph>(std::move(g));
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.peak_memory_mb = detail::peak_memory_mb();
}

/// The whole command line: parse, convert, report. Returns the exit code.
inline int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const extensions& ext = {}) {
  try {
    const options o = parse_arguments(args);
    if (o.help) {
      out << usage(o.command);
      return 0;
    }
    if (o.version) {
      out << "irforge " << version_string << "\n";
      return 0;
    }
    if (o.command == command::run) return run_command(o, out, ext.registry, ext.kernels);
    const logger log(err, parse_log_level(o.silent ? "ERROR" : o.log_level));
    if (o.command == command::verify)
      return verify_command(
          o, out, [&] { return load_model(o, ext, log).g; }, [&](graph& g) { return detail::optimize(g, o, ext, log); },
          ext.kernels);
    report_data r;
    try {
      convert(o, r, ext, log);
    } catch (const unsupported_ops_error& e) {
      r.error = e.what();
      r.unsupported = e.ops();
      if (!o.report_path.empty()) write_report(o.report_path, r);
      throw;
    } catch (const std::exception& e) {
      r.error = e.what();
      if (!o.report_path.empty()) write_report(o.report_path, r);
      throw;
    }
    if (!o.report_path.empty()) write_report(o.report_path, r);
    if (detail::process_ends_after_run() && r.result_graph) {
      // Still reachable through this static, so leak checkers stay quiet.
      static const auto* kept_until_exit = new std::shared_ptr<const graph>(std::move(r.result_graph));
      (void)kept_until_exit;
    }
    if (!o.silent) {
      char time_text[64];
      std::snprintf(time_text, sizeof time_text, "%.2f", r.seconds);
      out << "[ SUCCESS ] Generated IR version 11 model.\n"
          << "[ SUCCESS ] XML file: " << r.xml_path << "\n"
          << "[ SUCCESS ] BIN file: " << r.bin_path << "\n"
          << "[ SUCCESS ] Layers: " << r.source_layers.size() << " in the source model, " << r.written.layers << " in the IR ("
          << r.written.constants << " constants, " << r.written.constants_shared << " sharing bytes with another)\n"
          << "[ SUCCESS ] Written: " << r.written.xml_bytes << " bytes of XML, " << r.written.bin_bytes
          << " bytes of weights\n"
          << "[ SUCCESS ] Optimizations: " << detail::fired_summary(r.passes) << "\n";
      if (r.compression.constants)
        out << "[ SUCCESS ] Compressed " << r.compression.constants << " weight tensors: " << r.compression.bytes_before
            << " -> " << r.compression.bytes_after << " bytes"
            << (r.compression.clamped ? ", " + std::to_string(r.compression.clamped) + " values clamped to the f16 range" : "")
            << "\n";
      out
          << "[ SUCCESS ] Total execution time: " << time_text << " seconds. \n"
          << "[ SUCCESS ] Memory consumed: " << r.peak_memory_mb << " MB. \n";
    }
    return 0;
  } catch (const std::exception& e) {
    err << "[ ERROR ]  " << e.what() << "\n";
    return 1;
  }
}

inline int main(int argc, char** argv, const extensions& ext = {}) {
  std::vector<std::string> args(argv + 1, argv + argc);
  detail::process_ends_after_run() = true;
  return run(args, std::cout, std::cerr, ext);
}

/// A converter binary with its own layers and optimisation pipeline:
///   return irforge::cli::main<irforge::ops::standard, MyLayer>(argc, argv, my_pipeline, &my_mappings);
/// The layers join the op set used to read and evaluate IR (run, verify).
template <class Set = ops::standard, class... Extra, class Pipeline>
int main(int argc, char** argv, const Pipeline& pipeline, const onnx::mapping_table* mappings = nullptr) {
  using set = typename Set::template with<Extra...>;
  extensions ext;
  ext.onnx_mappings = mappings;
  ext.optimize = [&pipeline](graph& g, const passes::run_options& o) { return pipeline.run(g, o); };
  ext.registry = &registry<set>();
  ext.kernels = &reference::kernels<set>();
  return main(argc, argv, ext);
}

} // namespace irforge::cli
