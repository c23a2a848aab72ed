#include "weightstats.h"

#include "base/jsonnumber.h"

#include <cmath>

namespace tfjs {

Json ValueStats::toJson() const
{
    Json json = Json::object();
    json["count"] = count;
    json["finite"] = finite;
    json["nan"] = nan;
    json["posInf"] = posInf;
    json["negInf"] = negInf;
    json["zeros"] = zeros;
    json["sparsity"] = sparsity();
    json["min"] = finiteOrNull(min);
    json["max"] = finiteOrNull(max);
    json["mean"] = finiteOrNull(mean);
    json["std"] = finiteOrNull(std);
    json["meanAbs"] = finiteOrNull(meanAbs);
    json["l2"] = l2;
    return json;
}

Json Histogram::toJson() const
{
    Json json = Json::object();
    json["min"] = min;
    json["max"] = max;
    json["counts"] = counts;
    return json;
}

Json TensorStats::toJson() const
{
    Json json = Json::object();
    json["name"] = name;
    json["dtype"] = dtypeName(dtype);
    json["shape"] = shape;
    json["group"] = group ? Json(*group) : Json(nullptr);
    json["offset"] = offset;
    json["bytes"] = bytes;
    if (quantization) {
        Json q = Json::object();
        q["dtype"] = quantDTypeName(quantization->dtype);
        q["min"] = quantization->min ? Json(*quantization->min) : Json(nullptr);
        q["scale"] = quantization->scale ? Json(*quantization->scale) : Json(nullptr);
        q["step"] = finiteOrNull(step);
        json["quantization"] = q;
    } else {
        json["quantization"] = nullptr;
    }
    json["numeric"] = numeric;
    Json v = values.toJson();
    for (auto it = v.begin(); it != v.end(); ++it)
        json[it.key()] = it.value();
    json["histogram"] = histogram ? histogram->toJson() : Json(nullptr);
    return json;
}

Json WeightStats::toJson() const
{
    Json json = Json::object();
    json["schema"] = "tfjs-model/stats/1";
    json["bins"] = bins;
    json["bytes"] = bytes;
    Json m = model.toJson();
    m["tensors"] = modelTensors;
    json["model"] = m;
    if (optimizerTensors > 0) {
        Json o = optimizer.toJson();
        o["tensors"] = optimizerTensors;
        json["optimizer"] = o;
    } else {
        json["optimizer"] = nullptr;
    }
    json["tensors"] = toJsonArray(tensors);
    return json;
}

} // namespace tfjs
