#include "graphorder.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

namespace tfjs::keras {

GraphOrder graphOrder(const Model &model)
{
    GraphOrder order;
    if (model.sequential) {
        for (std::size_t i = 0; i < model.layers.size(); ++i) {
            if (!model.layers[i].synthetic)
                order.layers.push_back(i);
            for (std::size_t n = 0; n < model.layers[i].nodes.size(); ++n) {
                if (!model.layers[i].nodes[n].internal)
                    order.relevant.insert({i, n});
            }
        }
        return order;
    }
    std::map<std::size_t, int> layerIndices; // discovery order
    std::vector<NodeKey> decreasing;
    std::set<NodeKey> finished;
    std::set<NodeKey> inProgress;
    auto keyOf = [&](const Ref &ref) -> std::optional<NodeKey> {
        const auto it = model.index.find(ref.layer);
        if (it == model.index.end() || ref.node < 0
            || std::size_t(ref.node) >= model.layers[it->second].nodes.size())
            return std::nullopt;
        return NodeKey{it->second, std::size_t(ref.node)};
    };
    // Depth-first from the outputs, post-order, with an explicit stack (models can be deep).
    const auto visit = [&](NodeKey root) {
        if (finished.contains(root))
            return;
        std::vector<std::pair<NodeKey, std::size_t>> stack;
        layerIndices.emplace(root.first, int(layerIndices.size()));
        inProgress.insert(root);
        stack.emplace_back(root, 0);
        while (!stack.empty()) {
            const NodeKey key = stack.back().first;
            const std::vector<Ref> &inbound = model.layers[key.first].nodes[key.second].inbound;
            if (stack.back().second < inbound.size()) {
                const auto child = keyOf(inbound[stack.back().second++]);
                if (!child || finished.contains(*child))
                    continue;
                if (inProgress.contains(*child)) {
                    order.cycle = true;
                    continue;
                }
                layerIndices.emplace(child->first, int(layerIndices.size()));
                inProgress.insert(*child);
                stack.emplace_back(*child, 0);
                continue;
            }
            finished.insert(key);
            inProgress.erase(key);
            decreasing.push_back(key);
            stack.pop_back();
        }
    };
    for (const Ref &ref : model.outputs) {
        if (auto key = keyOf(ref))
            visit(*key);
    }
    std::map<NodeKey, int> nodeDepth;
    std::vector<NodeKey> nodeOrder; // insertion order of nodeDepth keys, as JS objects keep them
    std::map<std::size_t, int> layerDepth;
    auto setDepth = [&](NodeKey key, int depth) {
        if (nodeDepth.emplace(key, depth).second)
            nodeOrder.push_back(key);
        else
            nodeDepth[key] = depth;
    };
    for (auto it = decreasing.rbegin(); it != decreasing.rend(); ++it) {
        const NodeKey key = *it;
        if (!nodeDepth.contains(key))
            setDepth(key, 0);
        int depth = nodeDepth[key];
        const auto previous = layerDepth.find(key.first);
        depth = std::max(depth, previous == layerDepth.end() ? 0 : previous->second);
        layerDepth[key.first] = depth;
        setDepth(key, depth);
        for (const Ref &ref : model.layers[key.first].nodes[key.second].inbound) {
            const auto inbound = keyOf(ref);
            if (!inbound)
                continue;
            const auto before = nodeDepth.find(*inbound);
            setDepth(*inbound, std::max(depth + 1, before == nodeDepth.end() ? 0 : before->second));
        }
    }
    std::map<int, std::vector<std::size_t>, std::greater<>> layersByDepth;
    for (const auto &[layer, depth] : layerDepth)
        layersByDepth[depth].push_back(layer);
    for (auto &[depth, layers] : layersByDepth) {
        std::sort(layers.begin(), layers.end(),
                  [&](std::size_t a, std::size_t b) { return layerIndices[a] < layerIndices[b]; });
        order.layers.insert(order.layers.end(), layers.begin(), layers.end());
    }
    std::map<int, std::vector<NodeKey>> nodesByDepth;
    for (const NodeKey &key : nodeOrder) {
        order.relevant.insert(key);
        nodesByDepth[nodeDepth[key]].push_back(key);
    }
    // isModelSequentialLike
    for (const auto &[depth, nodes] : nodesByDepth) {
        if (nodes.size() > 1
            || (nodes.size() == 1 && model.layers[nodes[0].first].nodes[nodes[0].second].inbound.size() > 1)) {
            order.sequentialLike = false;
            break;
        }
    }
    if (order.sequentialLike) {
        for (std::size_t i = 0; i < model.layers.size(); ++i) {
            int seen = 0;
            for (std::size_t n = 0; n < model.layers[i].nodes.size(); ++n)
                seen += order.relevant.contains({i, n}) ? 1 : 0;
            if (seen > 1) {
                order.sequentialLike = false;
                break;
            }
        }
    }
    return order;
}

} // namespace tfjs::keras
