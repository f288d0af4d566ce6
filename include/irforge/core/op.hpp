// irforge — what an op (a layer type) is, and the type-erased op a node holds.
//
// An op is a plain struct:
//
//   struct Elu {
//     static constexpr std::string_view type_name = "Elu";   // IR type
//     static constexpr std::string_view version = "opset1";  // IR version attribute
//     static constexpr irforge::arity inputs{1};             // input count (or {min, max})
//     BOOST_HANA_DEFINE_STRUCT(Elu, (double, alpha));        // attributes, in IR order
//     void infer(irforge::infer_context& ctx) const {        // output types and shapes
//       ctx.set_output(0, ctx.input_type(0), ctx.input_shape(0));
//     }
//   };
//
// The `Layer` concept checks that shape; `check_layer<T>()` says in one
// sentence what is missing. A graph node stores its op as an `any_op`: a small
// value-semantic wrapper whose vtable is generated from the concept, so the
// graph is a runtime structure while rules get the typed op back (`get<T>()`).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include <boost/hana/accessors.hpp>
#include <boost/hana/at.hpp>
#include <boost/hana/define_struct.hpp>
#include <boost/hana/first.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/second.hpp>
#include <boost/hana/string.hpp>

#include "irforge/core/attribute.hpp"
#include "irforge/core/element_type.hpp"
#include "irforge/core/error.hpp"
#include "irforge/core/shape.hpp"
#include "irforge/core/tensor.hpp"

namespace irforge {

/// How many inputs an op takes: exactly n, or between min and max.
struct arity {
  static constexpr std::size_t unbounded = std::numeric_limits<std::size_t>::max();
  std::size_t min = 0;
  std::size_t max = 0;
  constexpr arity(std::size_t n) : min(n), max(n) {}
  constexpr arity(std::size_t lo, std::size_t hi) : min(lo), max(hi) {}
  [[nodiscard]] constexpr bool accepts(std::size_t n) const { return n >= min && n <= max; }
  [[nodiscard]] std::string to_string() const {
    if (min == max) return std::to_string(min);
    if (max == unbounded) return "at least " + std::to_string(min);
    return std::to_string(min) + " to " + std::to_string(max);
  }
};

/// What is known about one tensor flowing along the graph.
struct value_info {
  element_type type = element_type::dynamic;
  partial_shape shape = partial_shape::dynamic_rank();
  /// The value itself when it is known at conversion time (constants, and
  /// small shape computations); shared, never copied.
  std::shared_ptr<const tensor> value;
};

/// The view an op's `infer` gets of its node: input types, shapes and known
/// values; it sets output types and shapes, or fails with a message.
class infer_context {
public:
  infer_context(std::span<const value_info* const> inputs, std::string_view node_name, std::string_view op_type)
      : inputs_(inputs), node_name_(node_name), op_type_(op_type) {}

  [[nodiscard]] std::size_t input_count() const { return inputs_.size(); }
  [[nodiscard]] element_type input_type(std::size_t i) const { return input(i).type; }
  [[nodiscard]] const partial_shape& input_shape(std::size_t i) const { return input(i).shape; }
  /// The input's value if known at conversion time, else nullptr.
  [[nodiscard]] const tensor* input_value(std::size_t i) const { return input(i).value.get(); }

  void set_output(std::size_t i, element_type type, partial_shape shape) {
    if (outputs_.size() <= i) outputs_.resize(i + 1);
    outputs_[i].type = type;
    outputs_[i].shape = std::move(shape);
  }
  void set_output_value(std::size_t i, tensor value) {
    if (outputs_.size() <= i) outputs_.resize(i + 1);
    outputs_[i].type = value.type();
    outputs_[i].shape = value.dims();
    outputs_[i].value = std::make_shared<const tensor>(std::move(value));
  }
  [[nodiscard]] std::vector<value_info>& outputs() { return outputs_; }

  [[nodiscard]] std::string_view node_name() const { return node_name_; }
  [[nodiscard]] std::string_view op_type() const { return op_type_; }

  /// Throws an irforge::error naming this node and op.
  [[noreturn]] void fail(const std::string& message) const {
    throw error(message, at_node(std::string(node_name_), std::string(op_type_)));
  }
  void require(bool condition, const std::string& message) const {
    if (!condition) fail(message);
  }

private:
  [[nodiscard]] const value_info& input(std::size_t i) const {
    if (i >= inputs_.size())
      fail("input " + std::to_string(i) + " requested, the node has " + std::to_string(inputs_.size()));
    return *inputs_[i];
  }

  std::span<const value_info* const> inputs_;
  std::vector<value_info> outputs_;
  std::string_view node_name_;
  std::string_view op_type_;
};

/// A reference to an enum attribute whose type the visitor does not know:
/// its IR text, read and written through functions made for that enum.
struct enum_ref {
  void* object;
  std::string (*format)(const void*);
  void (*parse)(void*, std::string_view);
};

template <described_enum E> enum_ref make_enum_ref(E& e) {
  return {&e, [](const void* p) { return attr::format(*static_cast<const E*>(p)); },
          [](void* p, std::string_view text) { attr::parse(text, *static_cast<E*>(p)); }};
}

/// Visits an op's attributes by name and type (the reflection all IR and
/// report code is built on). One virtual per supported attribute type, so an
/// op's attribute loop is compiled once, not once per use.
class attribute_visitor {
public:
  virtual ~attribute_visitor() = default;
  virtual void on(std::string_view name, bool& v) = 0;
  virtual void on(std::string_view name, std::int64_t& v) = 0;
  virtual void on(std::string_view name, double& v) = 0;
  virtual void on(std::string_view name, float& v) = 0;
  virtual void on(std::string_view name, std::string& v) = 0;
  virtual void on(std::string_view name, element_type& v) = 0;
  virtual void on(std::string_view name, partial_shape& v) = 0;
  virtual void on(std::string_view name, std::vector<std::int64_t>& v) = 0;
  virtual void on(std::string_view name, std::vector<float>& v) = 0;
  virtual void on(std::string_view name, std::vector<double>& v) = 0;
  virtual void on(std::string_view name, std::vector<std::string>& v) = 0;
  virtual void on_enum(std::string_view name, enum_ref v) = 0;
  template <described_enum E> void on(std::string_view name, E& v) { on_enum(name, make_enum_ref(v)); }
};

namespace detail {
template <class T>
concept hana_struct = boost::hana::Struct<T>::value;

template <class T>
concept has_static_type_name = requires {
  { T::type_name } -> std::convertible_to<std::string_view>;
};
template <class T>
concept has_static_version = requires {
  { T::version } -> std::convertible_to<std::string_view>;
};
template <class T>
concept has_static_inputs = requires {
  { T::inputs } -> std::convertible_to<arity>;
};
template <class T>
concept has_infer = requires(const T& op, infer_context& ctx) { op.infer(ctx); };

/// An op that visits its attributes itself (instead of through Hana).
template <class T>
concept has_visit_attributes = requires(T& op, attribute_visitor& v) { op.visit_attributes(v); };

/// An op whose attributes are free-form IR text (generic ops).
template <class T>
concept has_text_attributes = requires(const T& op, T& w, std::string_view s) {
  { op.ir_attributes() } -> std::convertible_to<std::vector<std::pair<std::string, std::string>>>;
  { w.set_ir_attribute(s, s) } -> std::convertible_to<bool>;
};

/// An op may rename members in the IR (a member cannot be called "exclude-pad"):
///   static constexpr std::array<std::pair<std::string_view, std::string_view>, 1> ir_names{{{"exclude_pad", "exclude-pad"}}};
template <class T> constexpr std::string_view ir_name(std::string_view member) {
  if constexpr (requires { T::ir_names; }) {
    for (const auto& [from, to] : T::ir_names)
      if (from == member) return to;
  }
  return member;
}

template <class M>
concept visitable_member = requires(attribute_visitor& v, M& m) { v.on(std::string_view(), m); };

template <class T> constexpr bool all_attributes_visitable() {
  bool ok = true;
  boost::hana::for_each(boost::hana::accessors<T>(), [&](auto pair) {
    using member = std::remove_cvref_t<decltype(boost::hana::second(pair)(std::declval<T&>()))>;
    ok = ok && visitable_member<member>;
  });
  return ok;
}
} // namespace detail

/// A layer type: a regular struct with a type name, an opset version, an input
/// arity, attributes (Hana-reflected, or visited by the op itself) and `infer`.
template <class T>
concept Layer = std::is_class_v<T> && std::default_initializable<T> && std::copy_constructible<T> &&
                detail::has_static_type_name<T> && detail::has_static_version<T> && detail::has_static_inputs<T> &&
                detail::has_infer<T> &&
                (detail::hana_struct<T> || detail::has_visit_attributes<T> || detail::has_text_attributes<T>);

/// Fails with one sentence that names what a would-be layer type lacks.
/// `static_assert(irforge::check_layer<MyLayer>());`
template <class T> consteval bool check_layer() {
  static_assert(std::is_class_v<T>, "irforge::Layer: a layer type must be a struct");
  static_assert(detail::has_static_type_name<T>,
                "irforge::Layer: declare `static constexpr std::string_view type_name = \"MyLayer\";` (the IR type)");
  static_assert(detail::has_static_version<T>,
                "irforge::Layer: declare `static constexpr std::string_view version = \"opset1\";` (or \"extension\")");
  static_assert(detail::has_static_inputs<T>,
                "irforge::Layer: declare `static constexpr irforge::arity inputs{N};` (or {min, max})");
  static_assert(detail::has_infer<T>,
                "irforge::Layer: declare `void infer(irforge::infer_context& ctx) const` setting output types and shapes");
  static_assert(detail::hana_struct<T> || detail::has_visit_attributes<T> || detail::has_text_attributes<T>,
                "irforge::Layer: declare the attributes with BOOST_HANA_DEFINE_STRUCT(MyLayer, (type, name)...) "
                "(use BOOST_HANA_DEFINE_STRUCT(MyLayer) when there are none)");
  static_assert(std::default_initializable<T> && std::copy_constructible<T>,
                "irforge::Layer: a layer must be default-constructible and copyable");
  if constexpr (detail::hana_struct<T> && !detail::has_visit_attributes<T>)
    static_assert(detail::all_attributes_visitable<T>(),
                  "irforge::Layer: every attribute must have an IR text form (bool, int64_t, double, float, "
                  "std::string, element_type, partial_shape, a described enum, or a vector of int64_t/float/double/"
                  "std::string)");
  return true;
}

/// Calls the visitor on each attribute of `op`, in IR order.
template <class T> void visit_attributes(T& op, attribute_visitor& v) {
  if constexpr (detail::has_visit_attributes<T>) {
    op.visit_attributes(v);
  } else if constexpr (detail::hana_struct<T>) {
    boost::hana::for_each(boost::hana::accessors<T>(), [&](auto pair) {
      v.on(detail::ir_name<T>(boost::hana::to<const char*>(boost::hana::first(pair))), boost::hana::second(pair)(op));
    });
  }
}

namespace detail {
/// Collects (name, IR text) pairs.
class formatting_visitor final : public attribute_visitor {
public:
  std::vector<std::pair<std::string, std::string>> out;
  void on(std::string_view n, bool& v) override { add(n, attr::format(v)); }
  void on(std::string_view n, std::int64_t& v) override { add(n, attr::format(v)); }
  void on(std::string_view n, double& v) override { add(n, attr::format(v)); }
  void on(std::string_view n, float& v) override { add(n, attr::format(v)); }
  void on(std::string_view n, std::string& v) override { add(n, attr::format(v)); }
  void on(std::string_view n, element_type& v) override { add(n, attr::format(v)); }
  void on(std::string_view n, partial_shape& v) override { add(n, attr::format(v)); }
  void on(std::string_view n, std::vector<std::int64_t>& v) override { add(n, attr::format(v)); }
  void on(std::string_view n, std::vector<float>& v) override { add(n, attr::format(v)); }
  void on(std::string_view n, std::vector<double>& v) override { add(n, attr::format(v)); }
  void on(std::string_view n, std::vector<std::string>& v) override { add(n, attr::format(v)); }
  void on_enum(std::string_view n, enum_ref v) override { add(n, v.format(v.object)); }
  using attribute_visitor::on;

private:
  void add(std::string_view n, std::string text) { out.emplace_back(std::string(n), std::move(text)); }
};

/// Sets the attribute called `name` from IR text.
class parsing_visitor final : public attribute_visitor {
public:
  parsing_visitor(std::string_view name, std::string_view text) : name_(name), text_(text) {}
  bool found = false;
  void on(std::string_view n, bool& v) override { set(n, v); }
  void on(std::string_view n, std::int64_t& v) override { set(n, v); }
  void on(std::string_view n, double& v) override { set(n, v); }
  void on(std::string_view n, float& v) override { set(n, v); }
  void on(std::string_view n, std::string& v) override { set(n, v); }
  void on(std::string_view n, element_type& v) override { set(n, v); }
  void on(std::string_view n, partial_shape& v) override { set(n, v); }
  void on(std::string_view n, std::vector<std::int64_t>& v) override { set(n, v); }
  void on(std::string_view n, std::vector<float>& v) override { set(n, v); }
  void on(std::string_view n, std::vector<double>& v) override { set(n, v); }
  void on(std::string_view n, std::vector<std::string>& v) override { set(n, v); }
  void on_enum(std::string_view n, enum_ref v) override {
    if (found || n != name_) return;
    found = true;
    try {
      v.parse(v.object, text_);
    } catch (error& e) {
      throw error("attribute '" + std::string(name_) + "': " + e.message());
    }
  }
  using attribute_visitor::on;

private:
  template <class V> void set(std::string_view n, V& v) {
    if (found || n != name_) return;
    found = true;
    try {
      attr::parse(text_, v);
    } catch (error& e) {
      throw error("attribute '" + std::string(name_) + "': " + e.message());
    }
  }
  std::string_view name_, text_;
};

template <class T> std::vector<std::pair<std::string, std::string>> attributes_of(const T& op) {
  if constexpr (has_text_attributes<T>) {
    return op.ir_attributes();
  } else {
    formatting_visitor v;
    visit_attributes(const_cast<T&>(op), v); // the formatting visitor only reads
    return std::move(v.out);
  }
}

template <class T> bool set_attribute_of(T& op, std::string_view name, std::string_view text) {
  if constexpr (has_text_attributes<T>) {
    return op.set_ir_attribute(name, text);
  } else {
    parsing_visitor v(name, text);
    visit_attributes(op, v);
    return v.found;
  }
}
} // namespace detail

/// Static description of an op type, shared by all its instances.
struct op_type_info {
  std::string_view type_name;
  std::string_view version;
  arity inputs{0};
  const void* key = nullptr; ///< unique per C++ type; compared by is<T>()
};

namespace detail {
template <class T> struct type_key_holder {
  static constexpr char key = 0;
};
template <class T> constexpr const void* type_key() { return &type_key_holder<T>::key; }
} // namespace detail

/// A type-erased op with value semantics (copying copies the op).
class any_op {
public:
  any_op() = default;

  template <class T>
    requires(!std::same_as<std::remove_cvref_t<T>, any_op> && Layer<std::remove_cvref_t<T>>)
  any_op(T&& op)
      : self_(new model<std::remove_cvref_t<T>>(std::forward<T>(op))), key_(detail::type_key<std::remove_cvref_t<T>>()) {}

  any_op(const any_op& o) : self_(o.self_ ? o.self_->clone() : nullptr), key_(o.key_) {}
  any_op(any_op&& o) noexcept : self_(std::move(o.self_)), key_(std::exchange(o.key_, nullptr)) {}
  any_op& operator=(const any_op& o) {
    if (this != &o) {
      self_.reset(o.self_ ? o.self_->clone() : nullptr);
      key_ = o.key_;
    }
    return *this;
  }
  any_op& operator=(any_op&& o) noexcept {
    self_ = std::move(o.self_);
    key_ = std::exchange(o.key_, nullptr);
    return *this;
  }

  [[nodiscard]] bool empty() const { return !self_; }
  [[nodiscard]] op_type_info info() const { return self().info(); }
  [[nodiscard]] std::string_view type_name() const { return self().info().type_name; }
  [[nodiscard]] std::string_view version() const { return self().info().version; }

  /// The C++ type's identity (what is<T>() compares), without a virtual call.
  [[nodiscard]] const void* type_key() const { return key_; }
  template <class T> [[nodiscard]] bool is() const { return key_ == detail::type_key<T>(); }
  template <class T> [[nodiscard]] T* get_if() { return is<T>() ? static_cast<T*>(self_->address()) : nullptr; }
  template <class T> [[nodiscard]] const T* get_if() const {
    return is<T>() ? static_cast<const T*>(self_->address()) : nullptr;
  }
  template <class T> [[nodiscard]] T& get() {
    if (T* p = get_if<T>()) return *p;
    throw_not(T::type_name);
  }
  template <class T> [[nodiscard]] const T& get() const {
    if (const T* p = get_if<T>()) return *p;
    throw_not(T::type_name);
  }

  void infer(infer_context& ctx) const { self().infer(ctx); }
  /// Attributes as (name, IR text), in declaration order.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> attributes() const { return self().attributes(); }
  /// Sets an attribute from IR text; false when the op has no such attribute.
  bool set_attribute(std::string_view name, std::string_view text) { return self().set_attribute(name, text); }
  /// Visits the attributes with their C++ types (reports, custom writers).
  void visit(attribute_visitor& v) { self().visit(v); }
  /// Same type and equal attributes (and, for ops that define ==, equal by it:
  /// two Consts are the same only with the same bytes).
  [[nodiscard]] bool same_as(const any_op& o) const {
    return self_ && o.self_ && key_ == o.key_ &&
           self_->info().type_name == o.self_->info().type_name && self_->equals(*o.self_);
  }

private:
  [[noreturn, gnu::cold, gnu::noinline]] void throw_not(std::string_view wanted) const {
    throw error("op is " + std::string(type_name()) + ", not " + std::string(wanted));
  }
  struct interface {
    virtual ~interface() = default;
    [[nodiscard]] virtual interface* clone() const = 0;
    [[nodiscard]] virtual op_type_info info() const = 0;
    virtual void infer(infer_context&) const = 0;
    [[nodiscard]] virtual std::vector<std::pair<std::string, std::string>> attributes() const = 0;
    virtual bool set_attribute(std::string_view, std::string_view) = 0;
    virtual void visit(attribute_visitor&) = 0;
    [[nodiscard]] virtual void* address() = 0;
    [[nodiscard]] virtual bool equals(const interface&) const = 0; // same C++ type guaranteed
  };

  // Kept small on purpose: every op type instantiates it once, and that is
  // most of what a translation unit using many ops pays in compile time.
  template <class T> struct model final : interface {
    template <class U> explicit model(U&& v) : value(std::forward<U>(v)) {}
    [[nodiscard]] interface* clone() const override { return new model(value); }
    [[nodiscard]] op_type_info info() const override {
      if constexpr (requires { value.runtime_type_info(); }) {
        auto i = value.runtime_type_info();
        i.key = detail::type_key<T>();
        return i;
      } else {
        return {T::type_name, T::version, T::inputs, detail::type_key<T>()};
      }
    }
    void infer(infer_context& ctx) const override { value.infer(ctx); }
    [[nodiscard]] std::vector<std::pair<std::string, std::string>> attributes() const override {
      return detail::attributes_of(value);
    }
    bool set_attribute(std::string_view name, std::string_view text) override {
      return detail::set_attribute_of(value, name, text);
    }
    void visit(attribute_visitor& v) override { visit_attributes(value, v); }
    [[nodiscard]] void* address() override { return &value; }
    [[nodiscard]] bool equals(const interface& o) const override {
      const T& other = static_cast<const model&>(o).value;
      if constexpr (requires { value == other; }) return value == other;
      else return detail::attributes_of(value) == detail::attributes_of(other);
    }
    T value;
  };

  [[nodiscard]] const interface& self() const {
    if (!self_) throw error("empty op");
    return *self_;
  }
  [[nodiscard]] interface& self() {
    if (!self_) throw error("empty op");
    return *self_;
  }

  std::unique_ptr<interface> self_;
  // Kept beside the pointer: passes test op types far more often than they
  // touch an op, and this saves a pointer chase and a virtual call each time.
  const void* key_ = nullptr;
};

} // namespace irforge
