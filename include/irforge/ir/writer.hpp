// irforge — IR v11 writer: model.xml (tinyxml2) + model.bin.
//
// Layout of the files, as OpenVINO writes them (see MO_REFERENCE.md §3):
//   layers: Parameters in input order, other ops topologically, Results in
//   output order; layer id = position in that listing.
//   ports: inputs 0..n_in-1, outputs continue at n_in; dynamic dims are -1.
//   <data> from the op's reflected attributes; Const adds offset and size.
//   .bin: raw little-endian blobs, no header or padding; identical blobs once.
// Everything version-specific is in this file and attribute.hpp.
//
// Output is atomic: both files are written under temporary names and renamed
// only when complete, so a failed conversion never leaves a half-written IR.
#pragma once

#include <cerrno>
#include <charconv>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <unistd.h>

#include <tinyxml2.h>

#include "irforge/core/error.hpp"
#include "irforge/core/graph.hpp"
#include "irforge/ops/constant.hpp"
#include "irforge/ops/generic.hpp"

namespace irforge::ir {

struct write_options {
  /// IR version: 11 (OpenVINO 2022.1 and later). Only 11 is written today;
  /// the switch points that v10 would change are kept in this file.
  int version = 11;
  /// Write rt_info `fused_names` with the source-model layers of each layer.
  bool fused_names = true;
  /// fsync both files before renaming them into place, so the IR survives a
  /// power cut too. Off by default: the temporary-file + rename protocol
  /// already means no reader ever sees a half-written IR, and fsync costs
  /// disk round trips (two thirds of a ResNet-50 conversion on a slow disk).
  bool durable = false;
};

struct write_stats {
  std::size_t layers = 0;
  std::size_t constants = 0;
  std::size_t constants_shared = 0; ///< Consts whose bytes were already in the .bin
  std::uint64_t xml_bytes = 0;
  std::uint64_t bin_bytes = 0;
};

namespace detail {

/// tinyxml2's printer with OpenVINO's tab indentation, writing through its own
/// buffer: to `file` in 64 KiB blocks, or kept whole in memory without one.
class tab_printer : public tinyxml2::XMLPrinter {
public:
  explicit tab_printer(std::FILE* file = nullptr, std::string path = {})
      : tinyxml2::XMLPrinter(nullptr), file_(file), path_(std::move(path)) {}

  /// Everything printed, when there is no file.
  [[nodiscard]] const std::string& text() const { return buffer_; }
  [[nodiscard]] std::uint64_t bytes() const { return flushed_ + buffer_.size(); }
  void flush() {
    if (!file_ || buffer_.empty()) return;
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
      throw error(std::string("cannot write file: ") + std::strerror(errno), in_file(path_));
    flushed_ += buffer_.size();
    buffer_.clear();
  }

protected:
  void PrintSpace(int depth) override { buffer_.append(static_cast<std::size_t>(depth), '\t'); }
  void Write(const char* data, std::size_t size) override {
    buffer_.append(data, size);
    if (file_ && buffer_.size() >= block) flush();
  }
  void Putc(char ch) override { buffer_.push_back(ch); }
  void Print(const char* format, ...) override {
    std::va_list args;
    va_start(args, format);
    std::va_list again;
    va_copy(again, args);
    const int n = std::vsnprintf(nullptr, 0, format, args);
    va_end(args);
    if (n > 0) {
      const std::size_t at = buffer_.size();
      buffer_.resize(at + static_cast<std::size_t>(n) + 1);
      std::vsnprintf(buffer_.data() + at, static_cast<std::size_t>(n) + 1, format, again);
      buffer_.resize(at + static_cast<std::size_t>(n));
    }
    va_end(again);
  }

private:
  static constexpr std::size_t block = std::size_t{1} << 16;
  std::FILE* file_;
  std::string path_;
  std::string buffer_;
  std::uint64_t flushed_ = 0;
};

/// Collects unique blobs in order and hands each to a sink exactly once.
class bin_builder {
public:
  explicit bin_builder(std::function<void(std::span<const std::byte>)> sink) : sink_(std::move(sink)) {}

  /// Returns the offset of these bytes in the .bin, writing them if new.
  std::uint64_t add(std::span<const std::byte> bytes, bool& shared) {
    const std::uint64_t h = tensor::hash_bytes(bytes);
    auto [first, last] = index_.equal_range(h);
    for (auto it = first; it != last; ++it) {
      const auto& known = it->second;
      if (known.bytes.size() == bytes.size() &&
          (bytes.empty() || std::memcmp(known.bytes.data(), bytes.data(), bytes.size()) == 0)) {
        shared = true;
        return known.offset;
      }
    }
    shared = false;
    const std::uint64_t offset = size_;
    index_.emplace(h, entry{bytes, offset});
    if (!bytes.empty()) sink_(bytes);
    size_ += bytes.size();
    return offset;
  }
  [[nodiscard]] std::uint64_t size() const { return size_; }

private:
  struct entry {
    std::span<const std::byte> bytes; // stays valid: the graph keeps every tensor alive
    std::uint64_t offset;
  };
  std::function<void(std::span<const std::byte>)> sink_;
  std::unordered_multimap<std::uint64_t, entry> index_;
  std::uint64_t size_ = 0;
};

/// Tensor names as a port `names` value: sorted, joined by ",", inner "," as "\,".
inline std::string join_tensor_names(const std::vector<std::string>& names) {
  std::vector<std::string_view> sorted(names.begin(), names.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::string out;
  for (const auto& n : sorted) {
    if (!out.empty()) out += ',';
    for (char c : n) {
      if (c == ',') out += '\\';
      out += c;
    }
  }
  return out;
}

/// Streams the XML through tinyxml2's printer (no document tree is built, so
/// memory does not grow with the model's layer count).
class xml_builder {
public:
  xml_builder(const graph& g, const write_options& options, bin_builder& bin, write_stats& stats)
      : g_(g), options_(options), bin_(bin), stats_(stats) {}

  void build(tinyxml2::XMLPrinter& out) {
    out.PushDeclaration("xml version=\"1.0\"");
    out.OpenElement("net");
    out.PushAttribute("name", g_.name().empty() ? "model" : g_.name().c_str());
    out.PushAttribute("version", options_.version);

    const auto order = listing_order();
    std::vector<std::int64_t> layer_id(g_.id_bound(), -1);
    for (std::size_t i = 0; i < order.size(); ++i) layer_id[order[i]] = static_cast<std::int64_t>(i);

    const auto names = unique_layer_names(order);
    out.OpenElement("layers");
    for (std::size_t i = 0; i < order.size(); ++i) layer(out, order[i], i, *names[i]);
    out.CloseElement();
    stats_.layers = order.size();

    // Edges sorted by (from-layer, from-port, to-layer, to-port): deterministic.
    struct edge {
      std::int64_t from_layer, from_port, to_layer, to_port;
      auto operator<=>(const edge&) const = default;
    };
    std::vector<edge> edges;
    for (node_id id : order) {
      const auto& n = g_.node(id);
      for (std::size_t k = 0; k < n.inputs.size(); ++k) {
        const auto& src = n.inputs[k];
        const auto& producer = g_.node(src.node);
        edges.push_back({layer_id[src.node], static_cast<std::int64_t>(producer.inputs.size() + src.index),
                         layer_id[id], static_cast<std::int64_t>(k)});
      }
    }
    std::sort(edges.begin(), edges.end());
    out.OpenElement("edges");
    for (const auto& e : edges) {
      out.OpenElement("edge");
      push(out, "from-layer", static_cast<std::int64_t>(e.from_layer));
      push(out, "from-port", static_cast<std::int64_t>(e.from_port));
      push(out, "to-layer", static_cast<std::int64_t>(e.to_layer));
      push(out, "to-port", static_cast<std::int64_t>(e.to_port));
      out.CloseElement();
    }
    out.CloseElement();

    if (!g_.rt_info.empty()) {
      out.OpenElement("rt_info");
      for (const auto& [key, value] : g_.rt_info) {
        out.OpenElement(key.c_str());
        out.PushAttribute("value", value.c_str());
        out.CloseElement();
      }
      out.CloseElement();
    }
    out.CloseElement(); // net
  }

private:
  // Parameters (input order), other ops topologically, Results (output order).
  std::vector<node_id> listing_order() const {
    std::vector<node_id> order;
    order.reserve(g_.size());
    for (node_id p : g_.parameters()) order.push_back(p);
    for (node_id id : g_.topological_order()) {
      const auto type = g_.node(id).op.type_name();
      if (type != "Parameter" && type != "Result") order.push_back(id);
    }
    for (node_id r : g_.results()) order.push_back(r);
    return order;
  }

  // Layer names must be unique in an IR; a repeated name gets "_<n>". The
  // names are the nodes' own strings when they are unique (the usual case),
  // else strings kept in renamed_.
  std::vector<const std::string*> unique_layer_names(const std::vector<node_id>& order) {
    std::unordered_set<std::string_view> taken;
    taken.reserve(order.size());
    bool repeated = false;
    for (node_id id : order) {
      const auto& name = g_.node(id).name;
      repeated = !taken.insert(name).second || name.empty() || repeated;
    }
    std::vector<const std::string*> out;
    out.reserve(order.size());
    if (!repeated) {
      for (node_id id : order) out.push_back(&g_.node(id).name);
      return out;
    }
    auto& renamed = renamed_;
    renamed.clear();
    renamed.reserve(order.size()); // no reallocation: `out` points into it
    std::unordered_set<std::string> used;
    used.reserve(order.size());
    for (node_id id : order) {
      std::string name = g_.node(id).name;
      if (name.empty()) name = std::string(g_.node(id).op.type_name()) + "_" + std::to_string(id);
      if (!used.insert(name).second) {
        for (std::size_t k = 1;; ++k) {
          std::string candidate = name + "_" + std::to_string(k);
          if (!taken.count(candidate) && used.insert(candidate).second) {
            name = std::move(candidate);
            break;
          }
        }
      }
      renamed.push_back(std::move(name));
      out.push_back(&renamed.back());
    }
    return out;
  }

  // Integers through std::to_chars: tinyxml2 formats them with snprintf,
  // which was a tenth of the writer's time on a large graph.
  struct integer_text {
    explicit integer_text(std::int64_t v) { *std::to_chars(text, text + sizeof text - 1, v).ptr = '\0'; }
    char text[24];
  };
  static void push(tinyxml2::XMLPrinter& out, const char* name, std::int64_t v) {
    out.PushAttribute(name, integer_text(v).text);
  }

  static void dims(tinyxml2::XMLPrinter& out, const partial_shape& shape) {
    if (!shape.rank_is_static()) return;
    for (const auto& d : shape.dims()) {
      out.OpenElement("dim");
      out.PushText(integer_text(d.value_or_minus_one()).text);
      out.CloseElement();
    }
  }

  void layer(tinyxml2::XMLPrinter& out, node_id id, std::size_t index, const std::string& name) {
    const auto& n = g_.node(id);
    out.OpenElement("layer");
    push(out, "id", static_cast<std::int64_t>(index));
    out.PushAttribute("name", name.c_str());
    out.PushAttribute("type", std::string(n.op.type_name()).c_str());
    out.PushAttribute("version", std::string(n.op.version()).c_str());

    auto attributes = n.op.attributes();
    const auto* generic = n.op.get_if<ops::generic_op>();
    if (const auto* c = n.op.get_if<ops::Constant>()) {
      bool shared = false;
      const std::uint64_t offset = bin_.add(c->value.bytes(), shared);
      ++stats_.constants;
      if (shared) ++stats_.constants_shared;
      attributes.emplace_back("offset", std::to_string(offset));
      attributes.emplace_back("size", std::to_string(c->value.bytes().size()));
    }
    if (!attributes.empty()) {
      out.OpenElement("data");
      for (const auto& [key, value] : attributes) out.PushAttribute(key.c_str(), value.c_str());
      out.CloseElement();
    }

    const bool fused = options_.fused_names && !n.source_names.empty();
    if (fused || !n.rt_info.empty()) {
      out.OpenElement("rt_info");
      if (fused) {
        std::vector<std::string_view> sorted(n.source_names.begin(), n.source_names.end());
        std::sort(sorted.begin(), sorted.end());
        sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
        std::string joined;
        for (const auto& s : sorted) {
          if (!joined.empty()) joined += ',';
          joined += s;
        }
        rt_attribute(out, "fused_names", joined, true);
      }
      for (const auto& [key, value] : n.rt_info) rt_attribute(out, key, value, key == "fused_names");
      out.CloseElement();
    }

    if (!n.inputs.empty()) {
      out.OpenElement("input");
      for (std::size_t k = 0; k < n.inputs.size(); ++k) {
        const auto& info = g_.info(n.inputs[k]);
        out.OpenElement("port");
        push(out, "id", static_cast<std::int64_t>(k));
        out.PushAttribute("precision", std::string(precision_name(info.type)).c_str());
        dims(out, info.shape);
        out.CloseElement();
      }
      out.CloseElement();
    }
    if (!n.outputs.empty()) {
      out.OpenElement("output");
      for (std::size_t k = 0; k < n.outputs.size(); ++k) {
        const auto& p = n.outputs[k];
        out.OpenElement("port");
        push(out, "id", static_cast<std::int64_t>(n.inputs.size() + k));
        out.PushAttribute("precision", std::string(precision_name(p.info.type)).c_str());
        if (!p.names.empty()) out.PushAttribute("names", join_tensor_names(p.names).c_str());
        dims(out, p.info.shape);
        if (!p.rt_info.empty()) {
          out.OpenElement("rt_info");
          for (const auto& [key, value] : p.rt_info) {
            out.OpenElement("attribute");
            out.PushAttribute("name", key.c_str());
            out.PushAttribute("version", "0");
            out.PushAttribute(key.c_str(), value.c_str());
            out.CloseElement();
          }
          out.CloseElement();
        }
        out.CloseElement();
      }
      out.CloseElement();
    }
    if (generic != nullptr && !generic->extra_xml.empty()) append_extra(out, *generic, name);
    out.CloseElement(); // layer
  }

  static void rt_attribute(tinyxml2::XMLPrinter& out, const std::string& key, const std::string& value,
                           bool value_always) {
    out.OpenElement("attribute");
    out.PushAttribute("name", key.c_str());
    out.PushAttribute("version", "0");
    if (!value.empty() || value_always) out.PushAttribute("value", value.c_str());
    out.CloseElement();
  }

  // A generic op's verbatim children (a Loop body ...). Its Const layers point
  // at embedded constants as offset="@k"; they get their new .bin offsets here.
  void append_extra(tinyxml2::XMLPrinter& out, const ops::generic_op& op, const std::string& name) {
    tinyxml2::XMLDocument fragment;
    if (fragment.Parse(op.extra_xml.c_str()) != tinyxml2::XML_SUCCESS)
      throw error("extra XML of the layer does not parse", at_node(name, op.type));
    std::vector<std::uint64_t> offsets;
    for (const auto& t : op.embedded_constants) {
      bool shared = false;
      offsets.push_back(bin_.add(t.bytes(), shared));
    }
    patch_offsets(fragment.FirstChildElement(), offsets, name, op.type);
    for (auto* child = fragment.FirstChild(); child; child = child->NextSibling()) child->Accept(&out);
  }

  static void patch_offsets(tinyxml2::XMLElement* el, const std::vector<std::uint64_t>& offsets,
                            const std::string& name, const std::string& type) {
    for (; el; el = el->NextSiblingElement()) {
      if (const char* off = el->Attribute("offset"); off && off[0] == '@') {
        const auto k = static_cast<std::size_t>(std::strtoull(off + 1, nullptr, 10));
        if (k >= offsets.size()) throw error("embedded constant index out of range", at_node(name, type));
        el->SetAttribute("offset", std::to_string(offsets[k]).c_str());
      }
      patch_offsets(el->FirstChildElement(), offsets, name, type);
    }
  }

  const graph& g_;
  const write_options& options_;
  bin_builder& bin_;
  write_stats& stats_;
  std::vector<std::string> renamed_;
};

/// Removes a temporary file unless released (a failed write leaves nothing).
class temp_file {
public:
  explicit temp_file(std::string path) : path_(std::move(path)) {}
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  ~temp_file() {
    if (!released_) std::remove(path_.c_str());
  }
  [[nodiscard]] const std::string& path() const { return path_; }
  void release() { released_ = true; }

private:
  std::string path_;
  bool released_ = false;
};

inline std::FILE* open_for_write(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw error(std::string("cannot create file: ") + std::strerror(errno), in_file(path));
  return f;
}

inline void close_checked(std::FILE* f, const std::string& path, bool durable) {
  const bool ok = std::fflush(f) == 0 && (!durable || ::fsync(::fileno(f)) == 0);
  const int e = errno;
  if (std::fclose(f) != 0 || !ok) throw error(std::string("cannot write file: ") + std::strerror(e), in_file(path));
}

} // namespace detail

/// Writes the IR into strings (for tests and in-memory use).
inline write_stats serialize(const graph& g, std::string& xml, std::vector<std::byte>& bin,
                             const write_options& options = {}) {
  write_stats stats;
  bin.clear();
  detail::bin_builder bins([&](std::span<const std::byte> b) { bin.insert(bin.end(), b.begin(), b.end()); });
  detail::tab_printer printer;
  detail::xml_builder(g, options, bins, stats).build(printer);
  xml = printer.text();
  stats.xml_bytes = xml.size();
  stats.bin_bytes = bins.size();
  return stats;
}

/// Writes `<stem>.xml` and `<stem>.bin`. Weights go from their source (usually
/// the mapped model file) straight to the .bin; nothing is visible under the
/// final names until both files are complete.
inline write_stats save(const graph& g, const std::string& stem, const write_options& options = {}) {
  const std::string xml_path = stem + ".xml", bin_path = stem + ".bin";
  const std::string suffix = ".tmp" + std::to_string(::getpid());
  detail::temp_file xml_tmp(xml_path + suffix), bin_tmp(bin_path + suffix);

  write_stats stats;
  std::FILE* bin_file = detail::open_for_write(bin_tmp.path());
  std::FILE* xml_file = nullptr;
  try {
    xml_file = detail::open_for_write(xml_tmp.path());
    detail::bin_builder bins([&](std::span<const std::byte> b) {
      if (std::fwrite(b.data(), 1, b.size(), bin_file) != b.size())
        throw error(std::string("cannot write file: ") + std::strerror(errno), in_file(bin_path));
    });
    detail::tab_printer printer(xml_file, xml_path);
    detail::xml_builder(g, options, bins, stats).build(printer);
    printer.flush();
    stats.bin_bytes = bins.size();
    stats.xml_bytes = printer.bytes();
  } catch (...) {
    std::fclose(bin_file);
    if (xml_file) std::fclose(xml_file);
    throw;
  }
  std::FILE* const xml_done = xml_file;
  try {
    detail::close_checked(bin_file, bin_tmp.path(), options.durable);
  } catch (...) {
    std::fclose(xml_done);
    throw;
  }
  detail::close_checked(xml_done, xml_tmp.path(), options.durable);

  if (std::rename(bin_tmp.path().c_str(), bin_path.c_str()) != 0)
    throw error(std::string("cannot rename into place: ") + std::strerror(errno), in_file(bin_path));
  bin_tmp.release();
  if (std::rename(xml_tmp.path().c_str(), xml_path.c_str()) != 0) {
    const int e = errno;
    std::remove(bin_path.c_str());
    throw error(std::string("cannot rename into place: ") + std::strerror(e), in_file(xml_path));
  }
  xml_tmp.release();
  return stats;
}

} // namespace irforge::ir
