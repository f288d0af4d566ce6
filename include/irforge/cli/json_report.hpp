// irforge — the --report JSON: what a conversion did, for people and tools.
//
// Everything except the "timing" object is deterministic: the same model and
// flags give the same report.
#pragma once

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "irforge/core/error.hpp"
#include "irforge/core/graph.hpp"
#include "irforge/frontends/unsupported_ops.hpp"
#include "irforge/ir/writer.hpp"
#include "irforge/passes/compress_weights.hpp"
#include "irforge/passes/report.hpp"
#include "irforge/version.hpp"

namespace irforge::cli {

/// What the report is made from.
struct report_data {
  std::string input_model, framework;
  std::vector<std::pair<std::string, std::string>> options;
  std::uint64_t source_bytes = 0;
  std::vector<std::string> source_layers; ///< layer names of the source model
  std::shared_ptr<const graph> result_graph; ///< the converted graph, when conversion got that far
  std::string xml_path, bin_path;
  ir::write_stats written;
  passes::pipeline_report passes;
  passes::compression_stats compression;
  /// --input/--output/preprocessing: inputs made or changed, frozen, outputs, preprocessing steps.
  std::vector<std::string> new_inputs, frozen_inputs, new_outputs, preprocessing;
  std::size_t removed_by_cut = 0;
  /// Warnings for the user (frontend notes, options that did not apply everywhere).
  std::vector<std::string> notes;
  std::string error;
  unsupported_ops_error::op_list unsupported;
  double seconds = 0;
  long peak_memory_mb = 0;
};

inline nlohmann::ordered_json make_report(const report_data& d) {
  using json = nlohmann::ordered_json;
  json r;
  r["irforge_version"] = std::string(version_string);
  r["input_model"] = d.input_model;
  r["framework"] = d.framework;
  json opts = json::object();
  for (const auto& [k, v] : d.options) opts[k] = v;
  r["options"] = opts;
  r["status"] = d.error.empty() ? "success" : "error";
  if (!d.error.empty()) r["error"] = d.error;
  if (!d.unsupported.empty()) {
    json list = json::array();
    for (const auto& [op, nodes] : d.unsupported) list.push_back({{"op", op}, {"nodes", nodes}});
    r["unsupported_operations"] = list;
  }
  r["source"] = {{"bytes", d.source_bytes}, {"layers", d.source_layers.size()}};
  if (!d.notes.empty()) r["notes"] = d.notes;
  if (d.result_graph) {
    const graph& g = *d.result_graph;
    r["ir"] = {{"xml", d.xml_path},
               {"bin", d.bin_path},
               {"xml_bytes", d.written.xml_bytes},
               {"bin_bytes", d.written.bin_bytes},
               {"layers", d.written.layers},
               {"constants", d.written.constants},
               {"constants_sharing_bytes", d.written.constants_shared}};
    // Where each source layer went: kept under its name, fused into layers
    // that carry it in fused_names, or removed.
    std::set<std::string> ir_names;
    std::map<std::string, std::set<std::string>> carried_by;
    for (node_id id : g.nodes()) {
      ir_names.insert(g.node(id).name);
      for (const auto& s : g.node(id).source_names) carried_by[s].insert(g.node(id).name);
    }
    json fused = json::array(), removed = json::array();
    std::size_t kept = 0;
    for (const auto& s : d.source_layers) {
      if (ir_names.count(s)) {
        ++kept;
        continue;
      }
      const auto it = carried_by.find(s);
      if (it == carried_by.end()) removed.push_back(s);
      else fused.push_back({{"layer", s}, {"into", std::vector<std::string>(it->second.begin(), it->second.end())}});
    }
    r["layers"] = {{"kept", kept}, {"fused", fused}, {"removed", removed}};
  }
  if (!d.new_inputs.empty() || !d.frozen_inputs.empty() || !d.new_outputs.empty() || !d.preprocessing.empty())
    r["model_inputs"] = {{"inputs", d.new_inputs},
                         {"frozen", d.frozen_inputs},
                         {"outputs", d.new_outputs},
                         {"removed_by_cut", d.removed_by_cut},
                         {"preprocessing", d.preprocessing}};
  json passes = json::array();
  for (const auto& p : d.passes.passes) {
    json rules = json::object();
    for (const auto& [name, count] : p.rules) rules[name] = count;
    passes.push_back({{"name", p.name},
                      {"skipped", p.skipped},
                      {"nodes_before", p.nodes_before},
                      {"nodes_after", p.nodes_after},
                      {"changes", p.changes},
                      {"rules", rules}});
  }
  r["passes"] = passes;
  if (d.compression.constants)
    r["compression"] = {{"tensors", d.compression.constants},
                        {"bytes_before", d.compression.bytes_before},
                        {"bytes_after", d.compression.bytes_after},
                        {"clamped_values", d.compression.clamped},
                        {"flushed_to_zero", d.compression.flushed},
                        {"kept_exact", d.compression.kept}};
  json timing = json::object();
  timing["total_seconds"] = d.seconds;
  timing["peak_memory_mb"] = d.peak_memory_mb;
  json pass_ms = json::array();
  for (const auto& p : d.passes.passes) pass_ms.push_back({{"name", p.name}, {"milliseconds", p.milliseconds}});
  timing["passes"] = pass_ms;
  r["timing"] = timing;
  return r;
}

inline void write_report(const std::string& path, const report_data& d) {
  std::ofstream f(path);
  if (!f) throw error("cannot create the report", in_file(path));
  f << make_report(d).dump(2) << "\n";
}

} // namespace irforge::cli
