// irforge — the command line's model-input options applied to a graph, in
// Model Optimizer's order: cut (--input, --output) with shapes, types and
// frozen values (--input_shape), layouts, --batch, then preprocessing
// (--reverse_input_channels, --mean_values, --scale_values, --scale).
// Each step is a library function in passes/ (cut_model.hpp, model_inputs.hpp);
// this header only maps the flags' text onto them and checks how they combine.
#pragma once

#include <string>
#include <vector>

#include "irforge/cli/mo_syntax.hpp"
#include "irforge/cli/options.hpp"
#include "irforge/core/attribute.hpp"
#include "irforge/core/graph.hpp"
#include "irforge/passes/cut_model.hpp"
#include "irforge/passes/model_inputs.hpp"

namespace irforge::cli {

/// What the input options changed (for the report).
struct input_changes {
  std::vector<std::string> inputs, frozen, outputs, preprocessing;
  /// What the user should hear about (options that did not apply everywhere).
  std::vector<std::string> warnings;
  std::size_t removed = 0;
};

/// True when any model-input option is set.
inline bool has_input_options(const options& o) {
  return !o.cut_inputs.empty() || !o.cut_outputs.empty() || !o.input_shape.empty() || o.batch != 0 || !o.layout.empty() ||
         !o.source_layout.empty() || !o.target_layout.empty() || !o.mean_values.empty() || !o.scale_values.empty() ||
         o.scale != 0 || o.reverse_input_channels;
}

/// Applies the options to a freshly imported graph.
inline input_changes apply_input_options(graph& g, const options& o) {
  input_changes changes;
  const std::vector<node_id> original_inputs = g.parameters();

  // --input and --input_shape.
  std::vector<input_item> items;
  if (!o.cut_inputs.empty()) items = parse_input_items(o.cut_inputs);
  if (!o.input_shape.empty()) {
    const auto shapes = parse_input_shapes(o.input_shape);
    if (items.empty()) {
      if (shapes.size() != 1 || g.parameters().size() != 1)
        throw error("--input_shape: " + std::to_string(shapes.size()) + " shapes for a model with " +
                    std::to_string(g.parameters().size()) + " inputs; name the inputs with --input (one shape per item)");
      items.push_back({g.node(g.parameters()[0]).name, shapes[0], {}, {}});
    } else {
      if (shapes.size() != items.size())
        throw error("--input_shape: " + std::to_string(shapes.size()) + " shapes for " + std::to_string(items.size()) +
                    " --input items; give one shape per item");
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].shape)
          throw error("--input_shape and a shape in --input both give the shape of '" + items[i].name + "'");
        items[i].shape = shapes[i];
      }
    }
  }
  if (o.batch != 0)
    for (const auto& it : items)
      if (it.shape) throw error("--batch cannot be used with a shape in --input ('" + it.name + "')");
  if (!items.empty()) {
    std::vector<passes::input_cut> cuts;
    for (auto& it : items) cuts.push_back({it.name, it.shape, it.type, it.value});
    const auto s = passes::cut_inputs(g, cuts);
    changes.inputs = s.new_inputs;
    changes.frozen = s.frozen;
    changes.removed += s.removed;
  }
  if (!o.cut_outputs.empty()) {
    const auto s = passes::cut_outputs(g, parse_output_names(o.cut_outputs));
    changes.outputs = s.new_outputs;
    changes.removed += s.removed;
  }

  // Layouts, then the batch (which may use them).
  std::vector<passes::input_layout> layouts;
  auto add_layouts = [&](const std::string& text, std::string_view flag, bool target) {
    if (text.empty()) return;
    for (const auto& l : parse_layouts(text, flag)) {
      auto it = std::find_if(layouts.begin(), layouts.end(), [&](const auto& x) { return x.input == l.name; });
      if (it == layouts.end()) it = layouts.insert(layouts.end(), passes::input_layout{l.name, {}, {}});
      if (target) it->target = l.source;
      else {
        it->source = l.source;
        if (!l.target.empty()) it->target = l.target;
      }
    }
  };
  add_layouts(o.layout, "layout", false);
  add_layouts(o.source_layout, "source_layout", false);
  add_layouts(o.target_layout, "target_layout", true);
  for (auto& l : layouts)
    if (l.source.empty()) throw error("--target_layout for '" + l.input + "' needs its --source_layout");
  if (!layouts.empty()) passes::set_layouts(g, layouts);
  if (o.batch != 0) passes::set_batch(g, o.batch);

  // Preprocessing: named values go to their input, unnamed ones follow the --input order (else the model's).
  std::vector<passes::input_preprocessing> steps;
  auto step_for = [&](const std::string& input) -> passes::input_preprocessing& {
    for (auto& s : steps)
      if (s.input == input) return s;
    steps.push_back({input, {}, {}, false});
    return steps.back();
  };
  auto distribute = [&](const std::string& text, std::string_view flag, bool mean) {
    if (text.empty()) return;
    const auto values = parse_named_values(text, flag);
    std::vector<std::string> names;
    if (!values.empty() && values[0].name.empty()) {
      if (!items.empty())
        for (const auto& it : items) names.push_back(it.name);
      else
        for (node_id p : g.parameters()) names.push_back(g.node(p).name);
      if (names.size() != values.size())
        throw error("--" + std::string(flag) + ": " + std::to_string(values.size()) + " unnamed value lists for " +
                    std::to_string(names.size()) + " inputs; name them (data[...])");
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
      auto& s = step_for(values[i].name.empty() ? names[i] : values[i].name);
      (mean ? s.mean : s.scale) = values[i].values;
    }
  };
  distribute(o.mean_values, "mean_values", true);
  distribute(o.scale_values, "scale_values", false);
  if (o.scale != 0 && o.scale < 1)
    changes.warnings.push_back("--scale " + attr::detail::shortest(o.scale) +
                               " is below 1: the inputs are multiplied by " + attr::detail::shortest(1 / o.scale) +
                               " (MO divides by --scale)");
  if (o.scale != 0)
    for (node_id p : original_inputs)
      if (g.alive(p) && g.node(p).op.is<ops::Parameter>()) step_for(g.node(p).name).scale = {o.scale};
  if (o.reverse_input_channels) {
    // Every input with 3 channels (MO skips the others with a warning).
    for (node_id p : g.parameters()) {
      const auto& s = g.info({p, 0}).shape;
      bool three = false;
      if (s.rank_is_static() && s.rank() >= 3)
        for (std::size_t a : {std::size_t{1}, s.rank() - 1}) three = three || (s[a].is_static() && s[a].value() == 3);
      if (three) step_for(g.node(p).name).reverse_channels = true;
      else
        changes.warnings.push_back("--reverse_input_channels: input '" + g.node(p).name + "' " + s.to_string() +
                                   " has no 3-channel axis (1 or last); left as it is");
    }
  }
  if (!steps.empty()) changes.preprocessing = passes::add_preprocessing(g, steps);
  return changes;
}

} // namespace irforge::cli
