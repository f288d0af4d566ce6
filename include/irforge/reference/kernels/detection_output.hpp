// irforge — reference kernel of DetectionOutput-8: SSD box decoding and
// per-class non-maximum suppression, as OpenVINO's reference does it.
//
// Per image: the location predictions are decoded against the priors
// (CORNER: prior + variance * offset; CENTER_SIZE: shifted centre, exp-scaled
// size), divided by input_width/height first when the priors are not
// normalized (no +1 on sizes: OpenVINO has none), optionally clipped to
// [0, 1]. Caffe style (decrease_label_id false): for each class but the
// background, the scores above confidence_threshold, best first (equal
// scores by prior index), cut to top_k, then greedy NMS with Caffe's overlap
// (intersection over union, 0 unless the intersection has positive width and
// height). MXNet style (true): one candidate per prior, its best class >= 1,
// kept if >= confidence_threshold, cut to top_k over the image, NMS within
// each class, labels written minus 1. Then keep_top_k over the image (score,
// then prior index, then class). Rows [image, label, score, x_min, y_min,
// x_max, y_max] go out by image, class, then rank; the row after the last
// detection gets image -1, every later row stays 0.
//
// With 5 inputs (RefineDet) priors with an objectness (input 3, [N, 2 per
// prior], second value) below objectness_score score 1 for the background
// and 0 otherwise, and boxes are decoded twice: priors refined by input 4,
// then by the location predictions.
//
// Everything is computed in float (double for f64); proposals may have
// another floating type than the predictions.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "irforge/ops/detection_output.hpp"
#include "irforge/reference/kernel.hpp"

namespace irforge::reference {

namespace detail::detection {

template <class C> struct box {
  C xmin = 0, ymin = 0, xmax = 0, ymax = 0;
};

/// Area, 0 for an inverted box.
template <class C> C area(const box<C>& b) {
  if (b.xmax < b.xmin || b.ymax < b.ymin) return 0;
  return (b.xmax - b.xmin) * (b.ymax - b.ymin);
}

/// Caffe's Jaccard overlap of normalized boxes.
template <class C> C overlap(const box<C>& a, const box<C>& b) {
  if (b.xmin > a.xmax || b.xmax < a.xmin || b.ymin > a.ymax || b.ymax < a.ymin) return 0;
  const C w = std::min(a.xmax, b.xmax) - std::max(a.xmin, b.xmin);
  const C h = std::min(a.ymax, b.ymax) - std::max(a.ymin, b.ymin);
  if (!(w > 0 && h > 0)) return 0;
  const C inter = w * h;
  return inter / (area(a) + area(b) - inter);
}

/// Any floating input as compute-type values.
template <class C> std::vector<C> values_of(const tensor& t) {
  const auto v = t.as_f64();
  return std::vector<C>(v.begin(), v.end());
}

struct scored {
  double score; // exact for every compute type
  std::int64_t label;
  std::int64_t index;
};
/// Best score first; equal scores by prior index, then by class.
inline bool before(const scored& a, const scored& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.index != b.index) return a.index < b.index;
  return a.label < b.label;
}

/// The detections as rows of 7 values; `threshold` is confidence_threshold
/// rounded to the element type (OpenVINO compares in that type).
template <class C>
std::vector<C> detect(const ops::DetectionOutput& op, kernel_context& ctx, C threshold, std::int64_t rows) {
  const shape& loc_shape = ctx.input_shape(0);
  const shape& conf_shape = ctx.input_shape(1);
  const shape& prior_shape = ctx.input_shape(2);
  if (loc_shape.size() != 2 || conf_shape.size() != 2 || prior_shape.size() != 3)
    ctx.fail("box_logits and class_preds must be 2-D, proposals 3-D");
  const std::int64_t images = loc_shape[0];
  const std::int64_t prior_size = op.normalized ? 4 : 5;
  const std::int64_t priors = prior_shape[2] / prior_size;
  const std::int64_t classes = priors > 0 ? conf_shape[1] / priors : 0;
  const std::int64_t loc_classes = op.share_location ? 1 : classes;
  const bool arm = ctx.input_count() == 5;
  if (conf_shape[0] != images) ctx.fail("box_logits and class_preds have different batch sizes");
  if (prior_shape[2] != priors * prior_size || conf_shape[1] != priors * classes ||
      loc_shape[1] != priors * loc_classes * 4)
    ctx.fail("box_logits, class_preds and proposals disagree on the number of priors");
  if (prior_shape[1] != (op.variance_encoded_in_target ? 1 : 2))
    ctx.fail("proposals dimension 1 must be 1 with variance_encoded_in_target, else 2");
  if (images > 0 && prior_shape[0] != 1 && prior_shape[0] != images)
    ctx.fail("proposals dimension 0 must be 1 or the batch size");
  if (arm && (element_count(ctx.input_shape(3)) != static_cast<std::uint64_t>(images * priors * 2) ||
              ctx.input_shape(4) != loc_shape))
    ctx.fail("the additional inputs must be [N, priors * 2] and the shape of box_logits");

  std::vector<C> result(static_cast<std::size_t>(rows) * 7, C(0));
  if (images == 0 || priors == 0) {
    if (rows > 0) result[0] = -1;
    return result;
  }
  const auto loc = values_of<C>(ctx.input(0));
  const auto conf = values_of<C>(ctx.input(1));
  const auto prior_data = values_of<C>(ctx.input(2));
  const std::vector<C> arm_conf = arm ? values_of<C>(ctx.input(3)) : std::vector<C>{};
  const std::vector<C> arm_loc = arm ? values_of<C>(ctx.input(4)) : std::vector<C>{};

  const auto P = static_cast<std::size_t>(priors);
  const auto K = static_cast<std::size_t>(classes);
  const auto LK = static_cast<std::size_t>(loc_classes);
  const std::size_t offset = op.normalized ? 0 : 1;
  const bool center_size = op.code_type == "caffe.PriorBoxParameter.CENTER_SIZE";
  const C one = 1, zero = 0;
  auto clip = [&](box<C>& b) {
    for (C* v : {&b.xmin, &b.ymin, &b.xmax, &b.ymax}) *v = std::max(zero, std::min(one, *v));
  };
  // `var` is null when the variance is encoded in the target.
  auto decode = [&](box<C> pr, const C* var, const C* l) {
    if (!op.normalized) {
      pr.xmin /= static_cast<C>(op.input_width);
      pr.ymin /= static_cast<C>(op.input_height);
      pr.xmax /= static_cast<C>(op.input_width);
      pr.ymax /= static_cast<C>(op.input_height);
    }
    const C v[4] = {var ? var[0] : one, var ? var[1] : one, var ? var[2] : one, var ? var[3] : one};
    box<C> b;
    if (!center_size) {
      b = {pr.xmin + v[0] * l[0], pr.ymin + v[1] * l[1], pr.xmax + v[2] * l[2], pr.ymax + v[3] * l[3]};
    } else {
      const C pw = pr.xmax - pr.xmin, ph = pr.ymax - pr.ymin;
      const C pcx = (pr.xmin + pr.xmax) / 2, pcy = (pr.ymin + pr.ymax) / 2;
      const C cx = v[0] * l[0] * pw + pcx, cy = v[1] * l[1] * ph + pcy;
      const C w = static_cast<C>(std::exp(v[2] * l[2])) * pw, h = static_cast<C>(std::exp(v[3] * l[3])) * ph;
      b = {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
    }
    if (op.clip_before_nms) clip(b);
    return b;
  };

  std::vector<box<C>> decoded(LK * P);
  std::vector<std::vector<std::int64_t>> kept(K);
  std::vector<scored> candidates;
  std::size_t count = 0;
  const auto rows_total = static_cast<std::size_t>(rows);

  for (std::size_t i = 0; i < static_cast<std::size_t>(images); ++i) {
    // Priors (and variances) of this image.
    const std::size_t prior_set = prior_shape[0] == 1 ? 0 : i;
    const C* pri = prior_data.data() + prior_set * static_cast<std::size_t>(prior_shape[1]) * P * static_cast<std::size_t>(prior_size);
    const C* variances = op.variance_encoded_in_target ? nullptr : pri + P * static_cast<std::size_t>(prior_size);
    const C* img_loc = loc.data() + i * P * LK * 4;
    const C* img_arm_loc = arm ? arm_loc.data() + i * P * LK * 4 : nullptr;
    for (std::size_t c = 0; c < LK; ++c) {
      if (!op.share_location && op.background_label_id > -1 && static_cast<std::int64_t>(c) == op.background_label_id)
        continue;
      for (std::size_t p = 0; p < P; ++p) {
        const C* q = pri + p * static_cast<std::size_t>(prior_size) + offset;
        const box<C> prior{q[0], q[1], q[2], q[3]};
        const C* var = variances ? variances + p * 4 : nullptr;
        const std::size_t at = p * LK * 4 + c * 4;
        decoded[c * P + p] = arm ? decode(decode(prior, var, img_arm_loc + at), var, img_loc + at)
                                 : decode(prior, var, img_loc + at);
      }
    }
    const C* img_conf = conf.data() + i * P * K;
    const C* img_arm_conf = arm ? arm_conf.data() + i * P * 2 : nullptr;
    auto score = [&](std::size_t c, std::size_t p) -> C {
      if (arm && img_arm_conf[p * 2 + 1] < static_cast<C>(op.objectness_score))
        return static_cast<std::int64_t>(c) == op.background_label_id ? one : zero;
      return img_conf[p * K + c];
    };
    auto boxes_of = [&](std::size_t c) { return decoded.data() + (op.share_location ? 0 : c) * P; };
    // Greedy NMS of one candidate against the kept boxes of its class.
    auto keep = [&](std::size_t c, std::int64_t p) {
      const box<C>* b = boxes_of(c);
      for (std::int64_t k : kept[c])
        if (overlap(b[p], b[k]) > static_cast<C>(op.nms_threshold)) return;
      kept[c].push_back(p);
    };
    for (auto& k : kept) k.clear();

    std::size_t detections = 0;
    if (!op.decrease_label_id) { // Caffe style
      for (std::size_t c = 0; c < K; ++c) {
        if (static_cast<std::int64_t>(c) == op.background_label_id) continue;
        candidates.clear();
        for (std::size_t p = 0; p < P; ++p)
          if (score(c, p) > threshold)
            candidates.push_back({static_cast<double>(score(c, p)), static_cast<std::int64_t>(c), static_cast<std::int64_t>(p)});
        std::sort(candidates.begin(), candidates.end(), before);
        if (op.top_k > -1 && static_cast<std::size_t>(op.top_k) < candidates.size())
          candidates.resize(static_cast<std::size_t>(op.top_k));
        for (const auto& s : candidates) keep(c, s.index);
        detections += kept[c].size();
      }
    } else { // MXNet style: the best class of each prior, class 0 never
      candidates.clear();
      for (std::size_t p = 0; p < P; ++p) {
        C best = -1;
        std::size_t label = 0;
        for (std::size_t c = 1; c < K; ++c) {
          if (op.background_label_id > -1 && static_cast<std::int64_t>(c) == op.background_label_id) continue;
          if (score(c, p) > best) {
            best = score(c, p);
            label = c;
          }
        }
        if (label > 0 && best >= static_cast<C>(op.confidence_threshold))
          candidates.push_back({static_cast<double>(best), static_cast<std::int64_t>(label), static_cast<std::int64_t>(p)});
      }
      std::sort(candidates.begin(), candidates.end(), before);
      if (op.top_k >= 0 && static_cast<std::size_t>(op.top_k) < candidates.size())
        candidates.resize(static_cast<std::size_t>(op.top_k));
      for (const auto& s : candidates) keep(static_cast<std::size_t>(s.label), s.index);
      for (const auto& k : kept) detections += k.size();
    }

    const std::int64_t keep_top_k = op.keep_top_k[0];
    if (keep_top_k > -1 && detections > static_cast<std::size_t>(keep_top_k)) {
      candidates.clear();
      for (std::size_t c = 0; c < K; ++c)
        for (std::int64_t p : kept[c])
          candidates.push_back({static_cast<double>(score(c, static_cast<std::size_t>(p))), static_cast<std::int64_t>(c), p});
      std::sort(candidates.begin(), candidates.end(), before);
      candidates.resize(static_cast<std::size_t>(keep_top_k));
      for (auto& k : kept) k.clear();
      for (const auto& s : candidates) kept[static_cast<std::size_t>(s.label)].push_back(s.index);
    }

    for (std::size_t c = 0; c < K; ++c) {
      const box<C>* b = boxes_of(c);
      for (std::int64_t p : kept[c]) {
        if (count >= rows_total) ctx.fail("more detections than output rows"); // the row count rules prevent it
        box<C> d = b[p];
        if (op.clip_after_nms) clip(d);
        C* row = result.data() + count * 7;
        row[0] = static_cast<C>(i);
        row[1] = static_cast<C>(op.decrease_label_id ? static_cast<std::int64_t>(c) - 1 : static_cast<std::int64_t>(c));
        row[2] = score(c, static_cast<std::size_t>(p));
        row[3] = d.xmin;
        row[4] = d.ymin;
        row[5] = d.xmax;
        row[6] = d.ymax;
        ++count;
      }
    }
  }
  if (count < rows_total) result[count * 7] = -1;
  return result;
}

} // namespace detail::detection

template <> struct kernel<ops::DetectionOutput> {
  static void run(const ops::DetectionOutput& op, kernel_context& ctx) {
    if (op.keep_top_k.empty()) ctx.fail("keep_top_k needs a value");
    // Rows unknown to infer only without priors: then there are none.
    if (ctx.output(0).empty()) ctx.set_output(0, tensor::allocate(ctx.input_type(0), shape{1, 1, 0, 7}));
    const shape& out_shape = ctx.output_shape(0);
    if (out_shape.size() != 4 || out_shape[3] != 7) ctx.fail("the output must be [1, 1, rows, 7]");
    const std::int64_t rows = out_shape[2];
    dispatch<types::floating>(ctx.input_type(0), [&]<class T>() {
      using C = compute_t<T>;
      const auto result = detail::detection::detect<C>(op, ctx, static_cast<C>(T(op.confidence_threshold)), rows);
      auto out = ctx.out<T>(0);
      for (std::size_t k = 0; k < out.size(); ++k) out[k] = T(result[k]);
    }, "DetectionOutput");
  }
};

} // namespace irforge::reference
