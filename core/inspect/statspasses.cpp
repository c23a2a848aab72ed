#include "statspasses.h"

#include <algorithm>
#include <cstring>
#include <optional>

namespace tfjs::stats {

namespace {

std::uint32_t codeAt(const char *data, std::int64_t i, int width)
{
    if (width == 1)
        return static_cast<std::uint8_t>(data[i]);
    std::uint16_t code;
    std::memcpy(&code, data + 2 * i, 2);
    return code;
}

// Calls fn(values, n) on consecutive float blocks of an item's values (float kinds).
template<typename Fn>
void floatBlocks(const Plan &plan, const char *data, std::int64_t count, Scratch &scratch, Fn fn)
{
    if (plan.kind == Kind::Float32
        && reinterpret_cast<std::uintptr_t>(data) % alignof(float) == 0) {
        fn(reinterpret_cast<const float *>(data), count);
        return;
    }
    float *buffer = scratch.floats.data();
    for (std::int64_t start = 0; start < count; start += Scratch::kValues) {
        const std::int64_t n = std::min(Scratch::kValues, count - start);
        if (plan.kind == Kind::Float32) {
            std::memcpy(buffer, data + 4 * start, std::size_t(n) * 4);
        } else {
            const float *table = plan.floatTable.data();
            for (std::int64_t i = 0; i < n; ++i)
                buffer[i] = table[codeAt(data, start + i, plan.codeWidth)];
        }
        fn(buffer, n);
    }
}

template<typename Fn>
void doubleBlocks(const Plan &plan, const char *data, std::int64_t count, Scratch &scratch, Fn fn)
{
    double *buffer = scratch.doubles.data();
    for (std::int64_t start = 0; start < count; start += Scratch::kValues) {
        const std::int64_t n = std::min(Scratch::kValues, count - start);
        if (plan.kind == Kind::Int32) {
            for (std::int64_t i = 0; i < n; ++i) {
                std::int32_t value;
                std::memcpy(&value, data + 4 * (start + i), 4);
                buffer[i] = value;
            }
        } else {
            const double *table = plan.doubleTable.data();
            for (std::int64_t i = 0; i < n; ++i)
                buffer[i] = table[codeAt(data, start + i, plan.codeWidth)];
        }
        fn(buffer, n);
    }
}

bool isFloatKind(Kind kind)
{
    return kind == Kind::Float32 || kind == Kind::FloatTable;
}

} // namespace

void runPass1(const Plan &plan, Item &item, const char *data, Scratch &scratch)
{
    item.moments = {};
    item.hasNonFinite = false;
    if (isFloatKind(plan.kind)) {
        floatBlocks(plan, data, item.values, scratch, [&](const float *values, std::int64_t n) {
            bool nonFinite = false;
            momentsF32(values, n, item.moments, nonFinite);
            item.hasNonFinite = item.hasNonFinite || nonFinite;
        });
    } else {
        doubleBlocks(plan, data, item.values, scratch, [&](const double *values, std::int64_t n) {
            momentsF64(values, n, item.moments);
        });
    }
}

void runPass2(const Plan &plan, Item &item, const char *data, Scratch &scratch)
{
    Spread &spread = scratch.spread;
    spread.m2 = {};
    spread.counts.assign(std::size_t(plan.params.bins), 0);
    if (isFloatKind(plan.kind)) {
        floatBlocks(plan, data, item.values, scratch, [&](const float *values, std::int64_t n) {
            spreadF32(values, n, plan.params, item.hasNonFinite, spread);
        });
    } else {
        doubleBlocks(plan, data, item.values, scratch, [&](const double *values, std::int64_t n) {
            spreadF64(values, n, plan.params, spread);
        });
    }
    item.m2 = spread.m2;
}

std::pair<double, double> histogramBounds(const Plan &plan)
{
    const Moments &m = plan.moments;
    if (!plan.histogramRange)
        return {m.min, m.max};
    // Widened to hold the tensor's values: the kernels count x >= lo only.
    return {std::min(plan.histogramRange->first, m.min), std::max(plan.histogramRange->second, m.max)};
}

bool prepareSecondPass(Plan &plan, int bins)
{
    for (const Item &item : plan.items)
        plan.moments.merge(item.moments);
    const Moments &m = plan.moments;
    const auto [lo, hi] = histogramBounds(plan);
    if (m.finite == 0 || m.min == m.max) {
        // No finite values, or all equal: std 0, and one bin (the first, or the value's bin in
        // a wider range) holds them.
        plan.constant = m.finite > 0;
        if (bins > 0 && m.finite > 0) {
            plan.counts.assign(std::size_t(bins), 0);
            const int bin = hi > lo ? std::min(bins - 1, int((m.min - lo) * (double(bins) / (hi - lo))))
                                    : 0;
            plan.counts[std::size_t(bin)] = m.finite;
        }
        return false;
    }
    // The std from the first pass's sums when they are accurate enough; then the second
    // pass (over the data again) is only for the histogram, or not needed at all.
    const std::optional<double> m2 = m2FromMoments(m);
    if (m2)
        plan.m2.add(*m2);
    if (m2 && bins == 0)
        return false;
    plan.params.lo = lo;
    plan.params.scale = double(bins) / (hi - lo);
    plan.params.mean = m.sum.value() / double(m.finite);
    plan.params.bins = bins;
    plan.params.m2 = !m2;
    plan.counts.assign(std::size_t(bins), 0);
    return true;
}

void addCounts(Plan &plan, const Scratch &scratch)
{
    // Counts are integers: adding them in completion order gives the same totals.
    const std::vector<std::int64_t> &counts = scratch.spread.counts;
    for (std::size_t k = 0; k < counts.size() && k < plan.counts.size(); ++k)
        plan.counts[k] += counts[k];
}

} // namespace tfjs::stats
