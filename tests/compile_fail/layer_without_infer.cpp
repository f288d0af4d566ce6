// expect: declare `void infer(irforge::infer_context& ctx) const`
#include <irforge/core/op.hpp>
struct MyLayer {
  static constexpr std::string_view type_name = "MyLayer";
  static constexpr std::string_view version = "extension";
  static constexpr irforge::arity inputs{1};
  BOOST_HANA_DEFINE_STRUCT(MyLayer, (std::int64_t, size));
};
static_assert(irforge::check_layer<MyLayer>());
