#include "modeldiff.h"

#include "base/jsonnumber.h"

#include <cmath>

namespace tfjs {

namespace {

const char *statusName(TensorDiff::Status status)
{
    switch (status) {
    case TensorDiff::Status::Identical:
        return "identical";
    case TensorDiff::Status::Changed:
        return "changed";
    case TensorDiff::Status::Added:
        return "added";
    case TensorDiff::Status::Removed:
        return "removed";
    case TensorDiff::Status::Renamed:
        return "renamed";
    }
    return "";
}

const char *statusName(NodeDiff::Status status)
{
    switch (status) {
    case NodeDiff::Status::Added:
        return "added";
    case NodeDiff::Status::Removed:
        return "removed";
    case NodeDiff::Status::Renamed:
        return "renamed";
    case NodeDiff::Status::Changed:
        return "changed";
    }
    return "";
}

Json specJson(const WeightSpec &spec)
{
    return Json { { "shape", spec.shape }, { "dtype", TensorDiff::encoding(spec) } };
}

} // namespace

bool TensorDiff::shapeChanged() const
{
    return a && b && a->shape != b->shape;
}

bool TensorDiff::dtypeChanged() const
{
    return a && b && a->dtype != b->dtype;
}

std::string TensorDiff::encoding(const WeightSpec &spec)
{
    std::string text = dtypeName(spec.dtype);
    if (spec.quantization)
        text = std::string(quantDTypeName(spec.quantization->dtype)) + '>' + text;
    return text;
}

Json TensorDiff::toJson() const
{
    Json json { { "name", name }, { "status", statusName(status) } };
    if (!newName.empty())
        json["newName"] = newName;
    if (a)
        json["a"] = specJson(*a);
    if (b)
        json["b"] = specJson(*b);
    json["compared"] = compared;
    if (compared) {
        json["values"] = values;
        json["changed"] = changed;
        json["nonFinite"] = nonFinite;
        json["maxAbs"] = finiteOrNull(maxAbs);
        json["meanAbs"] = finiteOrNull(meanAbs);
        json["relativeL2"] = finiteOrNull(relativeL2);
        json["cosine"] = finiteOrNull(cosine);
    }
    return json;
}

Json ValueChange::toJson() const
{
    Json json { { "key", key } };
    json["before"] = before ? *before : Json();
    json["after"] = after ? *after : Json();
    if (!before)
        json["absentBefore"] = true;
    if (!after)
        json["absentAfter"] = true;
    return json;
}

Json NodeDiff::toJson() const
{
    Json json { { "name", name }, { "status", statusName(status) }, { "type", type } };
    if (!newName.empty())
        json["newName"] = newName;
    Json list = Json::array();
    for (const ValueChange &change : changes)
        list.push_back(change.toJson());
    json["changes"] = list;
    return json;
}

Json TopologyDiff::toJson() const
{
    Json modelChanges = Json::array();
    for (const ValueChange &change : model)
        modelChanges.push_back(change.toJson());
    Json list = Json::array();
    for (const NodeDiff &node : nodes)
        list.push_back(node.toJson());
    return Json { { "kindA", kindA }, { "kindB", kindB }, { "model", modelChanges },
        { "nodes", list } };
}

ModelDiff::Totals ModelDiff::totals() const
{
    Totals t;
    double sumAbs = 0;
    double squaredDiff = 0;
    double squaredA = 0;
    std::int64_t finite = 0;
    for (const TensorDiff &d : tensors) {
        switch (d.status) {
        case TensorDiff::Status::Identical:
            ++t.identical;
            break;
        case TensorDiff::Status::Changed:
            ++t.changed;
            break;
        case TensorDiff::Status::Added:
            ++t.added;
            break;
        case TensorDiff::Status::Removed:
            ++t.removed;
            break;
        case TensorDiff::Status::Renamed:
            ++t.renamed;
            break;
        }
        if (!d.compared)
            continue;
        t.values += d.values;
        t.changedValues += d.changed;
        if (!std::isnan(d.maxAbs))
            t.maxAbs = std::max(t.maxAbs, d.maxAbs);
        sumAbs += d.sumAbs;
        squaredDiff += d.sumSquaredDiff;
        squaredA += d.sumSquaredA;
        finite += d.finitePairs;
    }
    if (finite > 0) {
        t.meanAbs = sumAbs / double(finite);
        t.relativeL2 = squaredA > 0 ? std::sqrt(squaredDiff) / std::sqrt(squaredA)
                                    : (squaredDiff > 0 ? INFINITY : 0.0);
    }
    return t;
}

bool ModelDiff::identical() const
{
    const Totals t = totals();
    return topology.identical() && t.changed == 0 && t.added == 0 && t.removed == 0
        && t.renamed == 0;
}

Json ModelDiff::toJson() const
{
    Json list = Json::array();
    for (const TensorDiff &d : tensors)
        list.push_back(d.toJson());
    const Totals t = totals();
    const Json totalsJson { { "identical", t.identical }, { "changed", t.changed },
        { "added", t.added }, { "removed", t.removed }, { "renamed", t.renamed },
        { "values", t.values }, { "changedValues", t.changedValues },
        { "maxAbs", finiteOrNull(t.maxAbs) }, { "meanAbs", finiteOrNull(t.meanAbs) },
        { "relativeL2", finiteOrNull(t.relativeL2) } };
    return Json { { "identical", identical() }, { "topology", topology.toJson() },
        { "tensors", list }, { "totals", totalsJson } };
}

Result<ModelDiff> diffModels(
    const ModelArtifacts &a, const ModelArtifacts &b, const DiffOptions &options, JobContext &ctx)
{
    auto weights = diffWeights(a, b, options, ctx);
    if (!weights)
        return fail(weights.error());
    ModelDiff diff;
    diff.topology = diffTopology(a, b, *weights);
    diff.tensors = std::move(*weights);
    return diff;
}

} // namespace tfjs
