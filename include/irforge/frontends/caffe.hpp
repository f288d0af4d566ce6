// irforge — the Caffe frontend in one header: .prototxt (text format) and
// .caffemodel (binary) readers, the net description, the layer mapping
// table and `irforge::caffe::load`.
#pragma once

#include "irforge/frontends/caffe/caffemodel.hpp"
#include "irforge/frontends/caffe/converter.hpp"
#include "irforge/frontends/caffe/layer_context.hpp"
#include "irforge/frontends/caffe/load.hpp"
#include "irforge/frontends/caffe/mappings.hpp"
#include "irforge/frontends/caffe/net.hpp"
#include "irforge/frontends/caffe/prototxt.hpp"
