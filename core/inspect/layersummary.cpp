#include "layersummary.h"

#include "inspect/graphorder.h"
#include "inspect/kerasmodel.h"
#include "inspect/shapeeval.h"
#include "inspect/weightassignment.h"

#include <algorithm>
#include <memory>
#include <set>

namespace tfjs {

using keras::GraphOrder;
using keras::Layer;
using keras::Model;
using keras::Ref;
using keras::ShapeEval;
using keras::WeightAssignment;

namespace {

std::vector<LayerRow> rowsOf(const Model &model, const WeightAssignment &assignment, int depth,
                             GraphOrder *orderOut = nullptr)
{
    GraphOrder order = keras::graphOrder(model);
    ShapeEval eval(model, std::nullopt);
    eval.result(); // evaluates every node in listed order
    std::vector<LayerRow> rows;
    for (const std::size_t li : order.layers) {
        const Layer &layer = model.layers[li];
        LayerRow row;
        row.name = layer.name;
        row.className = layer.className;
        row.trainable = layer.trainable;
        std::vector<std::string> outputsSeen;
        bool outputsKnown = !layer.nodes.empty();
        std::optional<Shapes> firstOutput;
        for (std::size_t ni = 0; ni < layer.nodes.size(); ++ni) {
            row.nodeInputs.push_back(eval.nodeInputs(li, ni));
            const std::optional<Shapes> out = eval.nodeOutputs(li, ni);
            if (!out) {
                outputsKnown = false;
            } else {
                if (!firstOutput)
                    firstOutput = out;
                std::string text;
                for (const Shape &shape : *out)
                    text += shapeText(shape) + ';';
                if (std::find(outputsSeen.begin(), outputsSeen.end(), text) == outputsSeen.end())
                    outputsSeen.push_back(text);
            }
            if (!order.relevant.contains({li, ni}))
                continue;
            for (const Ref &ref : layer.nodes[ni].inbound) {
                const auto it = model.index.find(ref.layer);
                if (it != model.index.end() && model.layers[it->second].synthetic)
                    continue;
                row.inbound.push_back(ref.text());
            }
        }
        if (layer.nodes.empty() || outputsSeen.size() > 1) {
            row.outputMultiple = true;
        } else if (outputsKnown) {
            row.output = firstOutput;
        }
        if (const auto it = assignment.byLayer.find(&layer); it != assignment.byLayer.end()) {
            row.params = it->second.params;
            row.trainableParams = it->second.trainable;
            row.nonTrainableParams = it->second.nonTrainable;
            row.weights = it->second.weights;
        }
        if (layer.inner && depth < keras::kMaxNesting)
            row.layers = rowsOf(*layer.inner, assignment, depth + 1);
        rows.push_back(std::move(row));
    }
    if (orderOut)
        *orderOut = std::move(order);
    return rows;
}

} // namespace

std::optional<LayersSummary> summarizeLayers(const Json &kerasModel, const std::vector<WeightSpec> &specs)
{
    const std::shared_ptr<Model> model = keras::parseModel(kerasModel);
    if (!model)
        return std::nullopt;
    LayersSummary summary;
    summary.className = model->className;
    summary.name = model->name;
    summary.notes = model->notes;
    const WeightAssignment assignment = keras::assignWeights(*model, specs);
    GraphOrder order;
    summary.rows = rowsOf(*model, assignment, 0, &order);
    summary.sequentialLike = order.sequentialLike;
    if (order.cycle)
        summary.notes.push_back("The layer graph has a cycle.");
    std::set<std::string> used;
    for (const LayerRow &row : summary.rows) {
        used.insert(row.name);
        summary.totalParams += row.params;
        summary.trainableParams += row.trainableParams;
        summary.nonTrainableParams += row.nonTrainableParams;
    }
    for (const Layer &layer : model->layers) {
        if (layer.synthetic || used.contains(layer.name))
            continue;
        summary.unusedLayers.push_back(layer.name);
        if (const auto it = assignment.byLayer.find(&layer); it != assignment.byLayer.end()) {
            summary.unassignedWeights.insert(summary.unassignedWeights.end(),
                                             it->second.weights.begin(), it->second.weights.end());
            summary.unassignedParams += it->second.params;
        }
    }
    summary.unassignedWeights.insert(summary.unassignedWeights.end(), assignment.unassigned.begin(),
                                     assignment.unassigned.end());
    summary.unassignedParams += assignment.unassignedParams;
    for (const Ref &ref : model->inputs) {
        if (!model->index.contains(ref.layer))
            summary.notes.push_back("Input '" + ref.layer + "' names no layer.");
        if (const auto it = model->index.find(ref.layer);
            it == model->index.end() || !model->layers[it->second].synthetic)
            summary.inputs.push_back(ref.text());
    }
    for (const Ref &ref : model->outputs) {
        if (!model->index.contains(ref.layer))
            summary.notes.push_back("Output '" + ref.layer + "' names no layer.");
        summary.outputs.push_back(ref.text());
    }
    const ShapeEval::Result shapes = ShapeEval::run(*model, std::nullopt, 0);
    summary.inputShapes = shapes.inputs;
    summary.outputShapes = shapes.outputs;
    return summary;
}

} // namespace tfjs
