// irforge — IR reader: model.xml + model.bin back into an irforge::graph.
//
// Reads IR v10 and v11 as OpenVINO and Model Optimizer write them (tab or
// space indentation, ", " or "," lists, True/False booleans, a Const output
// port numbered 1 in early v10 files). Const bytes stay views into the mapped
// .bin. An op type the registry does not know becomes a generic_op carrying
// its attributes, its declared outputs and any sub-graph XML, so it survives a
// round trip. Every id, port, offset and size is checked before use.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <queue>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include <tinyxml2.h>

#include "irforge/core/error.hpp"
#include "irforge/core/graph.hpp"
#include "irforge/io/mapped_file.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/generic.hpp"
#include "irforge/ops/op_set.hpp"
#include "irforge/ops/standard.hpp"

namespace irforge::ir {

namespace detail {

struct port_desc {
  std::int64_t id = 0;
  element_type type = element_type::dynamic;
  partial_shape shape;
  std::vector<std::string> names;
  std::vector<std::pair<std::string, std::string>> rt_info;
};

struct layer_desc {
  std::int64_t id = 0;
  std::string name, type, version;
  std::vector<std::pair<std::string, std::string>> data;
  std::vector<std::pair<std::string, std::string>> rt_info;
  std::vector<port_desc> inputs, outputs;
  std::string extra_xml;
  std::size_t listing = 0;
  const tinyxml2::XMLElement* element = nullptr;
};

/// Splits a port `names` value on unescaped commas ("a\,b,c" -> "a,b", "c").
inline std::vector<std::string> split_tensor_names(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == ',') {
      cur += ',';
      ++i;
    } else if (s[i] == ',') {
      out.emplace_back(attr::detail::trim(cur));
      cur.clear();
    } else {
      cur += s[i];
    }
  }
  out.emplace_back(attr::detail::trim(cur));
  std::erase(out, std::string());
  return out;
}

class ir_parser {
public:
  ir_parser(std::string file, std::span<const std::byte> bin, std::shared_ptr<const void> bin_owner,
            const op_registry& registry)
      : file_(std::move(file)), bin_(bin), bin_owner_(std::move(bin_owner)), registry_(registry) {}

  graph parse(const char* xml, std::size_t size) {
    tinyxml2::XMLDocument doc;
    if (doc.Parse(xml, size) != tinyxml2::XML_SUCCESS)
      fail("XML syntax error at line " + std::to_string(doc.ErrorLineNum()) + ": " + doc.ErrorName());
    const auto* net = doc.FirstChildElement("net");
    if (!net) fail("no <net> element: not an OpenVINO IR file");
    const int version = net->IntAttribute("version", -1);
    if (version != 10 && version != 11)
      fail("IR version " + std::to_string(version) + " is not supported (versions 10 and 11 are)");

    graph g(net->Attribute("name") ? net->Attribute("name") : "");
    const auto* layers_el = net->FirstChildElement("layers");
    if (!layers_el) fail("no <layers> element");

    std::vector<layer_desc> layers;
    std::map<std::int64_t, std::size_t> by_id;
    for (const auto* el = layers_el->FirstChildElement("layer"); el; el = el->NextSiblingElement("layer")) {
      layer_desc d = read_layer(el);
      d.listing = layers.size();
      if (!by_id.emplace(d.id, layers.size()).second)
        fail("two layers have id " + std::to_string(d.id), d.name, d.type);
      layers.push_back(std::move(d));
    }

    // Edges: for each (to-layer, to-port) exactly one (from-layer, from-port).
    std::vector<std::map<std::int64_t, std::pair<std::size_t, std::int64_t>>> incoming(layers.size());
    std::vector<std::vector<std::size_t>> successors(layers.size());
    if (const auto* edges = net->FirstChildElement("edges")) {
      for (const auto* e = edges->FirstChildElement("edge"); e; e = e->NextSiblingElement("edge")) {
        const auto from_layer = int_attr(e, "from-layer"), from_port = int_attr(e, "from-port");
        const auto to_layer = int_attr(e, "to-layer"), to_port = int_attr(e, "to-port");
        const auto f = by_id.find(from_layer), t = by_id.find(to_layer);
        if (f == by_id.end() || t == by_id.end())
          fail("edge " + std::to_string(from_layer) + ":" + std::to_string(from_port) + " -> " +
               std::to_string(to_layer) + ":" + std::to_string(to_port) + " names a layer that does not exist");
        if (!incoming[t->second].emplace(to_port, std::pair{f->second, from_port}).second)
          fail("input port " + std::to_string(to_port) + " has two incoming edges", layers[t->second].name,
               layers[t->second].type);
        successors[f->second].push_back(t->second);
      }
    }

    // Build in topological order (ties: listing order); a cycle is an error.
    std::vector<std::size_t> pending(layers.size());
    for (std::size_t i = 0; i < layers.size(); ++i) pending[i] = incoming[i].size();
    std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
    for (std::size_t i = 0; i < layers.size(); ++i)
      if (pending[i] == 0) ready.push(i);
    std::vector<node_id> node_of(layers.size(), std::numeric_limits<node_id>::max());
    std::size_t built = 0;
    while (!ready.empty()) {
      const std::size_t i = ready.top();
      ready.pop();
      node_of[i] = build_layer(g, layers, i, incoming[i], node_of);
      ++built;
      for (std::size_t s : successors[i])
        if (--pending[s] == 0) ready.push(s);
    }
    if (built != layers.size()) {
      for (std::size_t i = 0; i < layers.size(); ++i)
        if (pending[i] != 0) fail("the layers form a cycle through this layer", layers[i].name, layers[i].type);
    }

    // Model inputs and outputs in file order.
    std::vector<node_id> params, results;
    for (std::size_t i = 0; i < layers.size(); ++i) {
      if (layers[i].type == "Parameter") params.push_back(node_of[i]);
      if (layers[i].type == "Result") results.push_back(node_of[i]);
    }
    g.set_parameter_order(params);
    g.set_result_order(results);

    if (const auto* rt = net->FirstChildElement("rt_info"))
      for (const auto* el = rt->FirstChildElement(); el; el = el->NextSiblingElement())
        if (const char* v = el->Attribute("value"); v && !el->FirstChildElement()) g.rt_info.emplace_back(el->Name(), v);
    return g;
  }

private:
  [[noreturn]] void fail(const std::string& message, const std::string& layer = {}, const std::string& type = {}) const {
    error_location where = in_file(file_);
    where.node = layer;
    where.op = type;
    throw error(message, where);
  }

  std::int64_t int_attr(const tinyxml2::XMLElement* el, const char* name, const std::string& layer = {}) const {
    const char* v = el->Attribute(name);
    if (!v) fail(std::string("<") + el->Name() + "> has no '" + name + "' attribute (line " +
                 std::to_string(el->GetLineNum()) + ")", layer);
    try {
      return attr::detail::parse_int(v);
    } catch (const error&) {
      fail(std::string("<") + el->Name() + "> attribute '" + name + "' is not an integer: '" + v + "' (line " +
           std::to_string(el->GetLineNum()) + ")", layer);
    }
  }

  port_desc read_port(const tinyxml2::XMLElement* p, const layer_desc& l) const {
    port_desc d;
    d.id = int_attr(p, "id", l.name);
    if (const char* prec = p->Attribute("precision")) {
      auto t = parse_element_type(prec);
      if (!t) fail("unknown port precision '" + std::string(prec) + "'", l.name, l.type);
      d.type = *t;
    }
    if (const char* names = p->Attribute("names")) d.names = split_tensor_names(names);
    std::vector<dimension> dims;
    for (const auto* dim = p->FirstChildElement("dim"); dim; dim = dim->NextSiblingElement("dim")) {
      const char* text = dim->GetText();
      if (!text) fail("empty <dim> in port " + std::to_string(d.id), l.name, l.type);
      std::int64_t v = 0;
      try {
        v = attr::detail::parse_int(text);
      } catch (const error&) {
        fail("<dim> '" + std::string(text) + "' is not an integer", l.name, l.type);
      }
      if (v < -1) fail("negative <dim> " + std::to_string(v), l.name, l.type);
      dims.push_back(v == -1 ? dimension() : dimension(v));
    }
    d.shape = partial_shape(std::move(dims));
    if (const auto* rt = p->FirstChildElement("rt_info"))
      for (const auto* a = rt->FirstChildElement("attribute"); a; a = a->NextSiblingElement("attribute")) {
        const char* name = a->Attribute("name");
        if (!name) continue;
        const char* value = a->Attribute(name);
        if (!value) value = a->Attribute("value");
        d.rt_info.emplace_back(name, value ? value : "");
      }
    return d;
  }

  layer_desc read_layer(const tinyxml2::XMLElement* el) const {
    layer_desc l;
    l.element = el;
    l.name = el->Attribute("name") ? el->Attribute("name") : "";
    l.type = el->Attribute("type") ? el->Attribute("type") : "";
    l.version = el->Attribute("version") ? el->Attribute("version") : "opset1";
    l.id = int_attr(el, "id", l.name);
    if (l.type.empty()) fail("layer without a type (line " + std::to_string(el->GetLineNum()) + ")", l.name);
    for (const auto* child = el->FirstChildElement(); child; child = child->NextSiblingElement()) {
      const std::string_view tag = child->Name();
      if (tag == "data") {
        for (const auto* a = child->FirstAttribute(); a; a = a->Next()) l.data.emplace_back(a->Name(), a->Value());
      } else if (tag == "rt_info") {
        for (const auto* a = child->FirstChildElement("attribute"); a; a = a->NextSiblingElement("attribute")) {
          const char* name = a->Attribute("name");
          if (!name) continue;
          const char* value = a->Attribute("value");
          l.rt_info.emplace_back(name, value ? value : "");
        }
      } else if (tag == "input") {
        for (const auto* p = child->FirstChildElement("port"); p; p = p->NextSiblingElement("port"))
          l.inputs.push_back(read_port(p, l));
      } else if (tag == "output") {
        for (const auto* p = child->FirstChildElement("port"); p; p = p->NextSiblingElement("port"))
          l.outputs.push_back(read_port(p, l));
      }
    }
    std::sort(l.inputs.begin(), l.inputs.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return l;
  }

  /// A view of `size` bytes at `offset` of the .bin, checked.
  tensor bin_tensor(const std::vector<std::pair<std::string, std::string>>& data, const std::string& layer,
                    const std::string& type) const {
    std::string et_text, shape_text, offset_text, size_text;
    bool has_shape = false;
    for (const auto& [k, v] : data) {
      if (k == "element_type") et_text = v;
      else if (k == "shape") shape_text = v, has_shape = true;
      else if (k == "offset") offset_text = v;
      else if (k == "size") size_text = v;
    }
    if (et_text.empty() || !has_shape || offset_text.empty() || size_text.empty())
      fail("Const needs element_type, shape, offset and size", layer, type);
    try {
      const element_type et = element_type_from_string(et_text);
      shape dims;
      attr::parse(shape_text, dims);
      const auto offset = attr::detail::parse_int(offset_text), size = attr::detail::parse_int(size_text);
      if (offset < 0 || size < 0) fail("negative offset or size", layer, type);
      for (auto d : dims)
        if (d < 0) fail("negative dimension in Const shape", layer, type);
      const std::uint64_t expected = byte_size(et, element_count(dims));
      if (static_cast<std::uint64_t>(size) != expected)
        fail("Const size " + std::to_string(size) + " does not match " + et_text + partial_shape(dims).to_string() +
                 " (" + std::to_string(expected) + " bytes)",
             layer, type);
      if (static_cast<std::uint64_t>(offset) > bin_.size() ||
          static_cast<std::uint64_t>(size) > bin_.size() - static_cast<std::uint64_t>(offset))
        fail("Const bytes [" + std::to_string(offset) + ", " + std::to_string(offset + size) +
                 ") lie outside the .bin file of " + std::to_string(bin_.size()) + " bytes",
             layer, type);
      return tensor::view(et, dims, bin_.subspan(static_cast<std::size_t>(offset), static_cast<std::size_t>(size)),
                          bin_owner_);
    } catch (error& e) {
      if (e.where().node.empty()) fail(e.message(), layer, type);
      throw;
    }
  }

  // Children other than data/rt_info/input/output, verbatim; Const layers in
  // them (a Loop body) have their bytes taken from the .bin and their offset
  // replaced by "@k", an index into embedded_constants.
  void capture_extra(const layer_desc& l, ops::generic_op& op) const {
    tinyxml2::XMLDocument copy;
    for (const auto* child = l.element->FirstChildElement(); child; child = child->NextSiblingElement()) {
      const std::string_view tag = child->Name();
      if (tag == "data" || tag == "rt_info" || tag == "input" || tag == "output") continue;
      copy.InsertEndChild(child->DeepClone(&copy));
    }
    if (!copy.FirstChild()) return;
    embed_constants(copy.FirstChildElement(), op, l);
    tinyxml2::XMLPrinter printer;
    copy.Print(&printer);
    op.extra_xml = printer.CStr();
  }

  void embed_constants(tinyxml2::XMLElement* el, ops::generic_op& op, const layer_desc& l) const {
    for (; el; el = el->NextSiblingElement()) {
      if (std::string_view(el->Name()) == "layer" && el->Attribute("type") &&
          std::string_view(el->Attribute("type")) == "Const") {
        if (auto* data = el->FirstChildElement("data")) {
          std::vector<std::pair<std::string, std::string>> attrs;
          for (const auto* a = data->FirstAttribute(); a; a = a->Next()) attrs.emplace_back(a->Name(), a->Value());
          op.embedded_constants.push_back(bin_tensor(attrs, l.name, l.type));
          data->SetAttribute("offset", ("@" + std::to_string(op.embedded_constants.size() - 1)).c_str());
        }
      }
      embed_constants(el->FirstChildElement(), op, l);
    }
  }

  node_id build_layer(graph& g, const std::vector<layer_desc>& layers, std::size_t i,
                      const std::map<std::int64_t, std::pair<std::size_t, std::int64_t>>& incoming,
                      const std::vector<node_id>& node_of) const {
    const layer_desc& l = layers[i];
    // Inputs in port order; every declared input port needs exactly one edge.
    std::vector<output_ref> inputs;
    for (const auto& port : l.inputs) {
      const auto e = incoming.find(port.id);
      if (e == incoming.end()) fail("input port " + std::to_string(port.id) + " has no incoming edge", l.name, l.type);
      const auto& [from, from_port] = e->second;
      const auto& producer = layers[from];
      std::uint32_t index = 0;
      bool found = false;
      for (; index < producer.outputs.size(); ++index)
        if (producer.outputs[index].id == from_port) {
          found = true;
          break;
        }
      if (!found)
        fail("an edge comes from port " + std::to_string(from_port) + " of '" + producer.name +
                 "', which has no such output port",
             l.name, l.type);
      inputs.push_back({node_of[from], index});
    }
    for (const auto& edge : incoming) {
      const std::int64_t port = edge.first; // (a structured binding cannot be captured by clang 14)
      if (std::none_of(l.inputs.begin(), l.inputs.end(), [&](const auto& p) { return p.id == port; }))
        fail("an edge goes to input port " + std::to_string(port) + ", which the layer does not declare", l.name, l.type);
    }

    any_op op;
    if (l.type == "Const" || l.type == "Constant") {
      op = ops::Constant(bin_tensor(l.data, l.name, l.type));
    } else if (const auto* entry = registry_.find(l.type, l.version)) {
      op = entry->make();
      std::vector<std::string> unknown;
      for (const auto& [key, value] : l.data) {
        try {
          if (!op.set_attribute(key, value)) unknown.push_back(key);
        } catch (const error& e) {
          fail(e.message(), l.name, l.type);
        }
      }
      if (!unknown.empty()) {
        std::string list;
        for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
        fail("unknown attribute(s) for " + l.type + " " + std::string(entry->version) + ": " + list, l.name, l.type);
      }
    } else {
      ops::generic_op gen;
      gen.type = l.type;
      gen.opset = l.version;
      gen.attributes = l.data;
      for (const auto& p : l.outputs) gen.outputs.push_back({p.type, p.shape, nullptr});
      capture_extra(l, gen);
      op = std::move(gen);
    }

    node_id id = 0;
    try {
      id = g.add(std::move(op), std::move(inputs), l.name);
    } catch (error& e) {
      e.with_file(file_);
      throw;
    }
    auto& n = g.node(id);
    if (n.outputs.size() != l.outputs.size())
      fail("the IR declares " + std::to_string(l.outputs.size()) + " output ports, the op has " +
               std::to_string(n.outputs.size()),
           l.name, l.type);
    for (std::size_t k = 0; k < l.outputs.size(); ++k) {
      const auto& declared = l.outputs[k];
      auto& port = n.outputs[k];
      if (declared.type != element_type::dynamic && port.info.type != element_type::dynamic &&
          declared.type != port.info.type)
        fail("output port " + std::to_string(declared.id) + " is declared " + std::string(to_string(declared.type)) +
                 " but the op gives " + std::string(to_string(port.info.type)),
             l.name, l.type);
      if (!declared.shape.compatible(port.info.shape))
        fail("output port " + std::to_string(declared.id) + " is declared " + declared.shape.to_string() +
                 " but the op gives " + port.info.shape.to_string(),
             l.name, l.type);
      port.names = declared.names;
      port.rt_info = declared.rt_info;
    }
    for (const auto& [key, value] : l.rt_info) {
      if (key == "fused_names") {
        for (auto& s : split_tensor_names(value)) n.source_names.push_back(std::move(s));
      } else {
        n.rt_info.emplace_back(key, value);
      }
    }
    return id;
  }

  std::string file_;
  std::span<const std::byte> bin_;
  std::shared_ptr<const void> bin_owner_;
  const op_registry& registry_;
};

inline std::string default_bin_path(const std::string& xml_path) {
  if (xml_path.size() > 4 && xml_path.compare(xml_path.size() - 4, 4, ".xml") == 0)
    return xml_path.substr(0, xml_path.size() - 4) + ".bin";
  return xml_path + ".bin";
}

} // namespace detail

/// Reads an IR from memory (the .bin bytes are viewed, kept alive by bin_owner).
inline graph parse(std::string_view xml, std::span<const std::byte> bin, std::shared_ptr<const void> bin_owner,
                   const op_registry& registry = irforge::registry<ops::standard>(), std::string file_label = "<memory>") {
  return detail::ir_parser(std::move(file_label), bin, std::move(bin_owner), registry).parse(xml.data(), xml.size());
}

/// Reads `model.xml` and its `.bin` (by default the same path with .bin).
inline graph load(const std::string& xml_path, const std::string& bin_path = {},
                  const op_registry& registry = irforge::registry<ops::standard>()) {
  const auto xml = io::mapped_file::open(xml_path);
  const std::string bin_file = bin_path.empty() ? detail::default_bin_path(xml_path) : bin_path;
  std::shared_ptr<const io::mapped_file> bin;
  if (::access(bin_file.c_str(), F_OK) == 0) bin = io::mapped_file::open(bin_file);
  const auto bytes = bin ? bin->bytes() : std::span<const std::byte>();
  const auto text = xml->bytes();
  try {
    return detail::ir_parser(xml_path, bytes, bin, registry)
        .parse(reinterpret_cast<const char*>(text.data()), text.size());
  } catch (error& e) {
    e.with_file(xml_path);
    throw;
  }
}

} // namespace irforge::ir
