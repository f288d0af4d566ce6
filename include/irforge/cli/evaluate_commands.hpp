// irforge — the `run` and `verify` commands: evaluate an IR, and prove that a
// conversion keeps the model's outputs.
#pragma once

#include <cstdio>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "irforge/cli/options.hpp"
#include "irforge/core/error.hpp"
#include "irforge/io/npy.hpp"
#include "irforge/ir/reader.hpp"
#include "irforge/ir/writer.hpp"
#include "irforge/passes/report.hpp"
#include "irforge/reference/compare.hpp"
#include "irforge/reference/evaluator.hpp"
#include "irforge/reference/inputs.hpp"

namespace irforge::cli {

namespace detail {
/// The name an output is known by: its tensor name, else its producer's name.
inline std::string output_name(const graph& g, node_id result) {
  const auto src = g.input(result, 0);
  const auto& names = g.port(src).names;
  if (!names.empty()) return *std::min_element(names.begin(), names.end());
  return g.node(src.node).name;
}

/// A file name made of an output name ("a/b:0" -> "a_b_0").
inline std::string file_safe(std::string s) {
  for (char& c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')) c = '_';
  return s.empty() ? "output" : s;
}

inline std::string format_error(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}
} // namespace detail

/// `irforge run MODEL.xml --input DATA ... --output_dir DIR`: every input must be given.
inline int run_command(const options& o, std::ostream& out, const op_registry* ops = nullptr,
                       const reference::kernel_registry* kernels = nullptr) {
  const graph g = ir::load(o.input_model, {}, ops ? *ops : irforge::registry<ops::standard>());
  const auto& kernel_set = kernels ? *kernels : reference::kernels();
  const auto& params = g.parameters();
  std::vector<std::string> specs = o.inputs;
  if (specs.size() < params.size()) {
    // name every input without data
    std::vector<bool> given(params.size(), false);
    std::size_t positional = 0;
    for (const auto& s : specs) {
      const auto eq = s.find('=');
      bool named = false;
      if (eq != std::string::npos && !std::filesystem::exists(s))
        for (std::size_t k = 0; k < params.size(); ++k)
          if (g.node(params[k]).name == s.substr(0, eq)) given[k] = named = true;
      if (!named && positional < params.size()) given[positional++] = true;
    }
    for (std::size_t k = 0; k < params.size(); ++k)
      if (!given[k]) throw error("no data given for model input '" + g.node(params[k]).name + "' (use --input)");
  }
  const auto inputs = reference::gather_inputs(g, specs, o.seed);
  const auto outputs = reference::evaluate(g, inputs, kernel_set);
  std::filesystem::create_directories(o.output_dir);
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    const std::string name = detail::output_name(g, g.results()[k]);
    const auto path = (std::filesystem::path(o.output_dir) / (detail::file_safe(name) + ".npy")).string();
    io::write_npy(path, outputs[k]);
    if (!o.silent)
      out << "[ SUCCESS ] output '" << name << "' " << to_string(outputs[k].type())
          << partial_shape(outputs[k].dims()).to_string() << " -> " << path << "\n";
  }
  return 0;
}

/// `irforge verify --input_model M`: imported vs optimized vs IR read back.
/// `import` loads the model (cli::load_model), `optimize` runs the pipeline.
inline int verify_command(const options& o, std::ostream& out, const std::function<graph()>& import,
                          const std::function<passes::pipeline_report(graph&)>& optimize,
                          const reference::kernel_registry* kernels = nullptr) {
  const auto& kernel_set = kernels ? *kernels : reference::kernels();
  const graph imported = import();
  graph optimized = imported;
  const auto report = optimize(optimized);
  std::string xml;
  std::vector<std::byte> bin;
  ir::serialize(optimized, xml, bin);
  auto owner = std::make_shared<std::vector<std::byte>>(std::move(bin));
  const graph read_back = ir::parse(xml, *owner, owner, irforge::registry<ops::standard>(), "<IR in memory>");

  const auto inputs = reference::gather_inputs(imported, o.inputs, o.seed);
  const auto expected = reference::evaluate(imported, inputs, kernel_set);
  const auto after_passes = reference::evaluate(optimized, inputs, kernel_set);
  const auto after_ir = reference::evaluate(read_back, inputs, kernel_set);

  if (!o.silent)
    out << "[ VERIFY ] " << imported.size() << " nodes imported, " << optimized.size() << " after optimization\n";
  (void)report;
  bool ok = true;
  for (std::size_t k = 0; k < expected.size(); ++k) {
    const auto c1 = reference::compare(after_passes[k], expected[k], o.rtol, o.atol);
    const auto c2 = reference::compare(after_ir[k], expected[k], o.rtol, o.atol);
    ok = ok && c1.ok() && c2.ok();
    if (!o.silent)
      out << "[ VERIFY ] output '" << detail::output_name(imported, imported.results()[k]) << "' "
          << to_string(expected[k].type()) << partial_shape(expected[k].dims()).to_string()
          << ": optimized max abs " << detail::format_error(c1.max_abs_error) << " rel "
          << detail::format_error(c1.max_rel_error) << (c1.ok() ? "" : " (OUT OF TOLERANCE)") << "; IR read back max abs "
          << detail::format_error(c2.max_abs_error) << " rel " << detail::format_error(c2.max_rel_error)
          << (c2.ok() ? "" : " (OUT OF TOLERANCE)") << "\n";
  }
  if (!o.silent)
    out << (ok ? "[ SUCCESS ] " : "[ ERROR ]  ") << expected.size() << " output(s) "
        << (ok ? "agree" : "do not agree") << " within rtol " << detail::format_error(o.rtol) << ", atol "
        << detail::format_error(o.atol) << "\n";
  return ok ? 0 : 1;
}

} // namespace irforge::cli
